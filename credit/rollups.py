"""Portfolio rollups: the portfolio's sums of the day stored per commune, lender, product,
sector and aging bucket (``PortfolioRollup``) and, coarser, per commune, lender and aging
bucket (``PortfolioRollupLender``: the same cells summed over products and sectors, for
the reads that ask for neither), kept fresh the way monitoring keeps its figures
(monitoring/rollups.py, geo/changes.py).

The services that change a loan's figures (disbursement, repayment, reversal, reschedule,
write-off; a loan closes through a repayment) mark its commune (``geo.changes.
areas_touch``). A commune's rows of a day, computed at ``computed_at`` (its
``PortfolioRollupStamp``), are stale when a change of that commune was marked after it
and counts on the day (``affects_from`` on or before it). A read (:func:`sums`)
recomputes the stale or missing communes only, with the arithmetic of the portfolio
(``credit.sums.cells`` over those communes' loans), stores both grains of them under one
stamp, then sums the stored rows of the actor's scope and filters (the coarse ones unless a
product or a sector is asked): a handful of queries whatever the number of loans.
The nightly job (``portfolio_refresh``) computes every commune after refreshing the loans
and purges the days before.

Rows are for the calendar year's period only (1 January to the day); the selector reads
them for the current day (``core.dates.today()``) and otherwise sums the loans.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from credit import sums
from credit.arrears import PAR_DAYS, Part
from credit.models import (
    Loan,
    PortfolioRollup,
    PortfolioRollupLender,
    PortfolioRollupStamp,
    PortfolioSums,
)
from geo.models import Area, AreaChange, AreaLevel

# The loan's lookups of the rollup's keys, in the order of the cells' keys.
KEYS = ("area_id", "lender_id", "product_id", "cooperative__sector_id")
# The rollup's fields of the PAR sums, one for each of credit.arrears.PAR_DAYS.
PAR_FIELDS = tuple(f"par{max(n, 1)}" for n in PAR_DAYS)


# The rollup's fields of the cells' keys (without the bucket), for each grain.
FIELDS = ("area_id", "lender_id", "product_id", "sector_id")
LENDER_FIELDS = ("area_id", "lender_id")


def by_lender(cells: dict[tuple, sums.Cell]) -> dict[tuple, sums.Cell]:
    """The cells keyed ``(area, lender, product, sector, bucket)`` summed over products and
    sectors: keyed ``(area, lender, bucket)``."""
    out: dict[tuple, sums.Cell] = {}
    for (area, lender, _product, _sector, bucket), cell in cells.items():
        out.setdefault((area, lender, bucket), sums.Cell()).add(cell)
    return out


def _rows(
    model: type[PortfolioSums],
    fields: tuple[str, ...],
    cells: dict[tuple, sums.Cell],
    as_of: date,
    at,
) -> list[PortfolioSums]:
    return [
        model(
            as_of=as_of,
            **dict(zip(fields, key, strict=True)),
            bucket=bucket,
            count=c.part.count,
            outstanding=c.part.outstanding,
            arrears=c.part.arrears,
            **dict(zip(PAR_FIELDS, c.part.par, strict=True)),
            due=c.due,
            collected=c.collected,
            computed_at=at,
        )
        for (*key, bucket), c in cells.items()
    ]


def compute(*, as_of: date, communes: list[int] | None = None) -> tuple[int, int]:
    """Recompute and store the rollups of ``as_of`` of ``communes`` (ids; None: every
    commune), both grains from the same cells in one transaction; returns the number of
    rows written of each (per product and sector, per lender). Not scoped: a system
    computation.

    ``computed_at`` is when the computation started: a change marked while it ran makes
    the rows stale at once. The stamps are written first (an upsert that locks them), so
    two readers recomputing the same commune write one after the other."""
    started = timezone.now()
    period_start = date(as_of.year, 1, 1)
    loans = sums.in_portfolio(Loan.objects.all(), as_of, period_start)
    if communes is None:
        loans = loans.filter(area__isnull=False)
        communes = list(
            Area.objects.filter(level=AreaLevel.COMMUNE).order_by("id").values_list("id", flat=True)
        )
        rows_q = Q(as_of=as_of)
    else:
        communes = sorted(set(communes))
        loans = loans.filter(area_id__in=communes)
        rows_q = Q(as_of=as_of, area_id__in=communes)
    with sums.without_jit():
        cells = sums.cells(loans, as_of, period_start, KEYS)
    rows = _rows(PortfolioRollup, FIELDS, cells, as_of, started)
    coarse = _rows(PortfolioRollupLender, LENDER_FIELDS, by_lender(cells), as_of, started)
    with transaction.atomic():
        PortfolioRollupStamp.objects.bulk_create(
            [PortfolioRollupStamp(area_id=a, as_of=as_of, computed_at=started) for a in communes],
            update_conflicts=True,
            unique_fields=["area", "as_of"],
            update_fields=["computed_at"],
            batch_size=1000,
        )
        for model, new in ((PortfolioRollup, rows), (PortfolioRollupLender, coarse)):
            model.objects.filter(rows_q).delete()
            model.objects.bulk_create(new, batch_size=1000)
    return len(rows), len(coarse)


def purge(*, before: date) -> int:
    """Forget the rollups of both grains (and their stamps) of the days before ``before``;
    returns the number of rows deleted."""
    deleted = sum(
        model.objects.filter(as_of__lt=before).delete()[0]
        for model in (PortfolioRollup, PortfolioRollupLender)
    )
    PortfolioRollupStamp.objects.filter(as_of__lt=before).delete()
    return deleted


def oldest_computed():
    """When the oldest stored rollup was computed (None: none stored): the change marks
    made before it can no longer make one stale (``monitoring_refresh`` prunes them)."""
    return PortfolioRollupStamp.objects.aggregate(oldest=Min("computed_at"))["oldest"]


def stale_communes(as_of: date, communes: Q) -> list[int]:
    """The communes among ``communes`` (a filter on ``Area``) whose rollups of ``as_of`` are
    missing or stale, in one query."""
    stamp = PortfolioRollupStamp.objects.filter(area=OuterRef("pk"), as_of=as_of)
    changed = AreaChange.objects.filter(
        area=OuterRef("pk"), affects_from__lte=as_of, changed_at__gt=OuterRef("computed")
    )
    return list(
        Area.objects.filter(communes, level=AreaLevel.COMMUNE)
        .annotate(computed=Subquery(stamp.values("computed_at")[:1]))
        .filter(Q(computed__isnull=True) | Exists(changed))
        .order_by("id")
        .values_list("id", flat=True)
    )


def sums_by_bucket(rows: QuerySet[PortfolioSums]) -> dict[str, sums.Cell]:
    """The stored rows summed by aging bucket, in one query."""
    out: dict[str, sums.Cell] = {}
    for row in (
        rows.values("bucket")
        .annotate(
            n=Sum("count"),
            o=Sum("outstanding"),
            a=Sum("arrears"),
            d=Sum("due"),
            c=Sum("collected"),
            **{f: Sum(f) for f in PAR_FIELDS},
        )
        .order_by()
    ):
        out[row["bucket"]] = sums.Cell(
            Part(
                count=int(row["n"]),
                outstanding=int(row["o"]),
                arrears=int(row["a"]),
                par=[int(row[f]) for f in PAR_FIELDS],
            ),
            int(row["d"]),
            int(row["c"]),
        )
    return out


def read(*, as_of: date, communes: Q, rows: Q, detailed: bool) -> dict[str, sums.Cell]:
    """The portfolio's sums by aging bucket of the stored rows matching ``rows`` (a filter
    on the fields both grains have, ``area`` and ``lender``; with ``detailed``, also on
    ``product`` and ``sector``), after recomputing the stale or missing communes among
    ``communes`` (a filter on ``Area``: those the rows may come from). The rows per
    product and sector (``PortfolioRollup``) are read only when ``detailed`` (a product or
    a sector asked); otherwise the coarser rows per lender (``PortfolioRollupLender``),
    which hold the same sums in fewer rows."""
    stale = stale_communes(as_of, communes)
    if stale:
        compute(as_of=as_of, communes=stale)
    model = PortfolioRollup if detailed else PortfolioRollupLender
    return sums_by_bucket(model.objects.filter(rows, as_of=as_of))
