"""The portfolio's sums from the loans' stored figures, grouped by aging bucket and by any
other keys of the loan (its commune, lender, product, sector).

``credit.selectors.portfolio`` sums them over the loans an actor sees (keys: none);
``credit.rollups`` stores them per commune, lender, product and sector for the day
(``PortfolioRollup``) and sums the stored rows instead. Both are the same arithmetic:
the loans whose stored figures are of the day are summed by the database (one aggregate
query grouped by the keys), the others are computed from their schedules
(:func:`credit.arrears.figures_for`). Not scoped: the callers pass the loans.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest, Least

from credit.arrears import BUCKETS, CURRENT, PAR_DAYS, Part, figures_for, part_of
from credit.models import Allocation, Loan, LoanStatus

BATCH = 2000
IN_PORTFOLIO = [LoanStatus.ACTIVE, LoanStatus.CLOSED, LoanStatus.WRITTEN_OFF]


@dataclass
class Cell:
    """What a group of loans adds to the portfolio: their part of one aging bucket and the
    period's due and collected."""

    part: Part = field(default_factory=Part)
    due: int = 0
    collected: int = 0

    def add(self, other: Cell) -> None:
        self.part.add(other.part)
        self.due += other.due
        self.collected += other.collected


def in_portfolio(loans: QuerySet[Loan], as_of: date, period_start: date) -> QuerySet[Loan]:
    """The loans of the portfolio on ``as_of``: active, closed or written off after it,
    disbursed by it, not closed before the period began."""
    return (
        loans.filter(status__in=IN_PORTFOLIO, disbursed_on__lte=as_of)
        .exclude(status=LoanStatus.WRITTEN_OFF, closed_on__lte=as_of)
        .exclude(closed_on__lt=period_start)
        .select_related(None)
        .order_by()
    )


def bucket_case() -> Case:
    return Case(
        *[
            When(days_past_due__gte=low, then=Value(label))
            for label, low, _high in reversed(BUCKETS)
        ],
        default=Value(CURRENT),
    )


def period_q(as_of: date, period_start: date) -> Q | None:
    """The loans whose stored period figures are those of ``as_of`` (None: the period asked
    is not the calendar year's, which the stored figures are of)."""
    if period_start != date(as_of.year, 1, 1):
        return None
    return Q(period_as_of__lte=as_of, period_until__gte=as_of)


def _settled_q(as_of: date) -> Q:
    """Loans no longer active that owe no principal on ``as_of``: their stored period figures
    hold on it (so no payment is dated between their computation and ``as_of``) and were
    stored by the nightly job, which stores them only for a loan owing nothing, or by the
    refresh that also stored the outstanding principal, 0. Such a loan does not change
    without becoming active again (which refreshes it)."""
    return (
        ~Q(status=LoanStatus.ACTIVE)
        & Q(period_as_of__lte=as_of, period_until__gte=as_of)
        & Q(outstanding_principal=0)
    )


def _stored(
    loans: QuerySet[Loan], as_of: date, period: Q | None, keys: tuple[str, ...]
) -> dict[tuple, Cell]:
    """From the stored figures, in one aggregate query grouped by ``keys`` and aging
    bucket: the parts of the loans whose figures are those of ``as_of`` (with principal
    outstanding), and the period's due and collected of the loans whose period figures
    hold on ``as_of``."""
    live = Q(figures_as_of=as_of, outstanding_principal__gt=0)
    aggregates = {
        "n": Count("id", filter=live),
        "outstanding": Sum("outstanding_principal", filter=live, default=0),
        "arrears": Sum("arrears_amount", filter=live, default=0),
        **{
            f"par{i}": Sum("outstanding_principal", filter=live & Q(days_past_due__gt=n), default=0)
            for i, n in enumerate(PAR_DAYS)
        },
    }
    if period is not None:
        aggregates["due"] = Sum("period_due", filter=period, default=0)
        aggregates["collected"] = Sum("period_collected", filter=period, default=0)
    rows = (
        loans.filter(live if period is None else live | period)
        .annotate(bucket=bucket_case())
        .values(*keys, "bucket")
        .annotate(**aggregates)
        .order_by()
    )
    cells: dict[tuple, Cell] = {}
    for row in rows:
        key = (*(row[k] for k in keys), row["bucket"])
        cells.setdefault(key, Cell()).add(
            Cell(
                Part(
                    count=row["n"],
                    outstanding=row["outstanding"],
                    arrears=row["arrears"],
                    par=[row[f"par{i}"] for i in range(len(PAR_DAYS))],
                ),
                int(row.get("due", 0)),
                int(row.get("collected", 0)),
            )
        )
    return cells


def _not_stored(
    loans: QuerySet[Loan], as_of: date, period: Q | None, keys: tuple[str, ...]
) -> list[tuple]:
    """``(id, principal, tolerance, parts, period, *keys)`` of the loans that need computing
    from their schedules: ``parts`` for those whose stored figures are of another day and
    that still owe principal on ``as_of`` (a loan owing nothing adds nothing but to the
    recovery), ``period`` for those whose stored period figures do not hold on it.

    The principal owed on ``as_of`` is the stored one corrected by the principal lines
    paid between the two days (one indexed range per loan, empty for a loan closed before
    ``as_of`` and not touched since); a loan never refreshed is always computed."""
    between = (
        Allocation.objects.filter(loan=OuterRef("pk"), component="principal")
        .filter(
            paid_on__gt=Least(OuterRef("figures_as_of"), Value(as_of)),
            paid_on__lte=Greatest(OuterRef("figures_as_of"), Value(as_of)),
        )
        .order_by()
        .values("loan")
        .annotate(
            moved=Sum(
                Case(When(paid_on__lte=as_of, then=F("amount")), default=-F("amount")),
            )
        )
        .values("moved")
    )
    other_day = ~Q(figures_as_of=as_of) & ~_settled_q(as_of)
    owing = Q(owed__gt=0) | Q(figures_as_of__isnull=True)
    stale_period = Q(pk__in=[]) if period is None else ~period
    return list(
        loans.filter(other_day | stale_period)
        .annotate(owed=F("outstanding_principal") - Coalesce(Subquery(between), 0))
        .filter((other_day & owing) | stale_period)
        .annotate(
            parts=Case(When(other_day & owing, then=Value(True)), default=Value(False)),
            period=Case(When(stale_period, then=Value(True)), default=Value(False)),
        )
        .order_by("id")
        .values_list("id", "principal", "terms__arrears_tolerance", "parts", "period", *keys)
    )


@contextmanager
def without_jit():
    """PostgreSQL compiles a query whose estimated cost is high (the correlated subquery of
    :func:`_not_stored` looks expensive while the statistics do not yet see the stored
    figures of the day) in 200-250 ms, far more than running it: JIT off for these reads."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


def cells(
    loans: QuerySet[Loan], as_of: date, period_start: date, keys: tuple[str, ...] = ()
) -> dict[tuple, Cell]:
    """The portfolio's sums on ``as_of`` of ``loans`` (already :func:`in_portfolio`), keyed
    ``(*keys, bucket)``: two queries whatever the number of loans on the nightly job's day,
    plus two a batch of loans computed from their schedules. For a period other than the
    calendar year the cells hold no due or collected (the caller sums the instalments)."""
    period = period_q(as_of, period_start)
    out = _stored(loans, as_of, period, keys)
    rows = _not_stored(loans, as_of, period, keys)
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        figures = figures_for(
            [(i, p, int(t or 0)) for i, p, t, *_rest in batch],
            as_of,
            period_start if period is not None else None,
        )
        for loan_id, _p, _t, for_parts, for_period, *values in batch:
            f = figures[loan_id]
            cell = out.setdefault((*values, f.bucket), Cell())
            if for_parts and f.outstanding_principal > 0:
                cell.part.add(part_of(f))
            if for_period:
                cell.due += f.due_in_period
                cell.collected += f.collected_in_period
    return out
