"""Rollups: the indicators' components stored per area, year and "as of" day, kept fresh.

A dashboard read takes the stored row of each area it shows (:func:`figures`). A row is
stale when operational data of the area's subtree changed after its computation started
(``geo.changes``: the services mark the communes they touch). A missing row is computed
before it is returned; a stale one is recomputed once it is older than
``settings.MONITORING_FIGURES_LAG`` seconds (60 by default), and served as stored until
then, so an operation recorded now shows within a minute, and a national dashboard read
while the country writes recomputes at most once a minute instead of at every read (a
national recomputation costs about 70 ms a day shown, 13 days on the dashboard). On
PostgreSQL one reader recomputes an area while the others serve the stored row (an
advisory lock per area and day). :func:`computed_at` tells a page how old its figures are.

What a recomputation costs does not depend on the size of the country, only on what
changed:

- **additive** components (cooperative counts, jobs, sales, loan figures, numerators and
  denominators of the ratios, breakdown counts of cooperatives) are computed per commune,
  only for the communes that changed, and summed up the tree from the stored children;
- **distinct-person** components (members, women, youth, age bands, trained people: one
  person may belong to cooperatives of several communes) are counted for each stale area
  itself, one grouped query per level of the hierarchy.

A first read of a day (a new "as of") computes the whole subtree in one pass of grouped
queries; ``manage.py monitoring_refresh`` does that ahead of the users (e.g. after
midnight) and purges rows of past days nobody needs.

The figures do not depend on who reads them: every role allowed to see an area (the
national role, an agent whose area contains it) sees every record of it
(accounts.scoping), so rows are keyed by area, not by user; :mod:`monitoring.selectors`
checks the scope before reading.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from accounts.scoping import Scope
from credit.arrears import figures_for, ratio
from credit.models import Loan, LoanStatus
from credit.sums import BATCH, IN_PORTFOLIO
from geo.models import Area, AreaChange
from health.models import Household
from health.reports import commune_components as health_components
from monitoring.indicators import (
    alive_q,
    created_q,
    jobs_from_work,
    kilograms,
    memberships_of_alive,
    net_sales,
    percent,
    production_lots,
    production_work,
    sales_lines,
)
from purchasing.models import Invoice, InvoiceLine
from purchasing.pricewatch import saving_rows, savings_by
from registry.jobs import decent_job_q
from registry.models import Cooperative, Employment, Sex
from registry.selectors import years_before, youth_q
from training.models import Participant
from training.selectors import cooperatives_supported

LEVELS = ["commune", "department", "region", "country"]
# From a commune foreign key to the area of each level above it (communes are leaves at
# depth 4: country > region > department > commune).
LEVEL_SUFFIX = {
    "commune": "",
    "department": "__parent",
    "region": "__parent__parent",
    "country": "__parent__parent__parent",
}
AGE_BANDS = [(15, 24), (25, 35), (36, 50), (51, 120)]
DISTINCT_PREFIXES = ("members", "youth", "trained", "sex:", "age:")


class _System:
    """Who the rollups compute as: everything is counted; scoping happens at read time."""

    is_authenticated = True
    is_active = True
    pk = None
    _sunucoop_scope = Scope(national=True)


SYSTEM = _System()


def is_distinct(component: str) -> bool:
    return component.startswith(DISTINCT_PREFIXES)


# --- what the components are -------------------------------------------------------------


def born_between(as_of: datetime.date, low: int, high: int, prefix: str = "person__") -> Q:
    """Aged ``low``..``high`` (inclusive) on ``as_of`` (the registry's birthday arithmetic)."""
    latest = years_before(as_of, low)
    earliest = years_before(as_of, high + 1) + datetime.timedelta(days=1)
    return Q(**{f"{prefix}birth_date__lte": latest, f"{prefix}birth_date__gte": earliest})


def _where(lookup: str, level: str, ids: list[int] | None, root: Area) -> Q:
    """Rows under ``root`` (``ids`` None: all of them) or under the given areas of ``level``."""
    if ids is None:
        return Q(**{f"{lookup}__path__startswith": root.path})
    return Q(**{f"{lookup}{LEVEL_SUFFIX[level]}_id__in": ids})


def additive(root: Area, year: int, as_of: datetime.date, communes: list[int] | None) -> dict:
    """Additive components per commune (``communes`` None: every commune under ``root``)."""
    out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    coops = (
        Cooperative.objects.filter(_where("commune", "commune", communes, root))
        .order_by()
        .values_list("commune_id", "sector_id", "legal_form", "value_chain_stage", "stage")
        .annotate(
            alive=Count("id", filter=alive_q(as_of)),
            created=Count("id", filter=created_q(datetime.date(year, 1, 1), as_of)),
        )
    )
    for commune, sector, form, chain, stage, alive, created in coops:
        row = out[commune]
        row["created"] += created
        if alive:
            row["coops"] += alive
            row[f"sector:{sector}"] += alive
            row[f"form:{form}"] += alive
            row[f"chain:{chain}"] += alive
            row[f"stage:{stage}"] += alive
    jobs = (
        Employment.objects.filter(
            _where("cooperative__commune", "commune", communes, root),
            decent_job_q(as_of),
            alive_q(as_of, "cooperative__"),
        )
        .order_by()
        .values_list("cooperative__commune_id")
        .annotate(n=Count("id"))
    )
    for commune, n in jobs:
        out[commune]["jobs"] += n
    work = (
        production_work(as_of)
        .filter(
            _where("cooperative__commune", "commune", communes, root),
            alive_q(as_of, "cooperative__"),
        )
        .order_by()
        .values_list("cooperative__commune_id")
        .annotate(n=Sum("work_days"))
    )
    for commune, n in work:
        out[commune]["work_days"] += n
    supported = (
        Cooperative.objects.filter(
            _where("commune", "commune", communes, root),
            pk__in=cooperatives_supported(actor=SYSTEM, as_of=as_of).values("pk"),
        )
        .order_by()
        .values_list("commune_id")
        .annotate(n=Count("id"))
    )
    for commune, n in supported:
        out[commune]["supported"] += n
    sales = (
        sales_lines(datetime.date(year, 1, 1), as_of)
        .filter(_where("cooperative__commune", "commune", communes, root))
        .order_by()
        .values_list("cooperative__commune_id")
        .annotate(credit=Sum("credit"), debit=Sum("debit"))
    )
    for commune, credit, debit in sales:
        out[commune]["sales"] += net_sales(credit, debit)
    produced = (
        production_lots(datetime.date(year, 1, 1), as_of)
        .filter(_where("cooperative__commune", "commune", communes, root))
        .order_by()
        .values_list("cooperative__commune_id", "product__unit")
        .annotate(q=Sum("quantity"))
    )
    for commune, unit, quantity in produced:
        out[commune]["produced_kg"] += kilograms([(unit, quantity)])
    _loans(out, root, year, as_of, communes)
    _purchases(out, root, year, as_of, communes)
    _health(out, root, year, as_of, communes)
    return out


def _loans(out: dict, root: Area, year: int, as_of: datetime.date, communes) -> None:
    """Outstanding, at risk > 30 days, due and collected in the year, per borrower's commune
    (the same loans and arithmetic as ``credit.selectors.portfolio``)."""
    period_start = datetime.date(year, 1, 1)
    loans = list(
        Loan.objects.filter(
            _where("area", "commune", communes, root),
            status__in=IN_PORTFOLIO,
            disbursed_on__lte=as_of,
        )
        .exclude(status=LoanStatus.WRITTEN_OFF, closed_on__lte=as_of)
        .exclude(closed_on__lt=period_start)
        .order_by("id")
        .values_list("id", "principal", "terms__arrears_tolerance", "area_id")
    )
    area_of = {loan_id: area for loan_id, _p, _t, area in loans}
    for start in range(0, len(loans), BATCH):
        batch = [(i, p, int(t or 0)) for i, p, t, _a in loans[start : start + BATCH]]
        for loan_id, f in figures_for(batch, as_of, period_start).items():
            row = out[area_of[loan_id]]
            row["outstanding"] += f.outstanding_principal
            if f.days_past_due > 30:
                row["at_risk30"] += f.outstanding_principal
            row["due"] += f.due_in_period
            row["collected"] += f.collected_in_period


def _purchases(out: dict, root: Area, year: int, as_of: datetime.date, communes) -> None:
    """Invoices of the centrales d'achat issued in the year, per buying cooperative's
    commune: their amount, the cooperatives invoiced (a cooperative lies in one commune,
    so the count adds up the tree) and the saving against market prices."""
    invoices = Invoice.objects.filter(
        _where("cooperative__commune", "commune", communes, root),
        issued_on__gte=datetime.date(year, 1, 1),
        issued_on__lte=as_of,
    )
    for commune, amount, buying in (
        invoices.order_by()
        .values_list("cooperative__commune_id")
        .annotate(a=Sum("amount"), n=Count("cooperative_id", distinct=True))
    ):
        out[commune]["purchases"] += int(amount or 0)
        out[commune]["buying"] += buying
    lines = InvoiceLine.objects.filter(invoice__in=invoices)
    saved = savings_by(saving_rows(lines, by="invoice__cooperative__commune_id"))
    for commune, saving in saved.items():
        out[commune]["purchase_savings"] += saving


def _health(out: dict, root: Area, year: int, as_of: datetime.date, communes) -> None:
    """Mutual health insurance (health.reports.DASHBOARD_COMPONENTS) per commune of the
    household: its cooperative's, or its head's when it enrolled directly."""
    households = Household.objects.filter(
        _where("cooperative__commune", "commune", communes, root)
        | (Q(cooperative__isnull=True) & _where("head__commune", "commune", communes, root))
    )
    for commune, row in health_components(households, year=year, as_of=as_of).items():
        for key, value in row.items():
            out[commune][key] += value


def distinct(root: Area, as_of: datetime.date, level: str, ids: list[int] | None) -> dict:
    """Distinct-person components of the areas of ``level`` (``ids`` None: all under root)."""
    out: dict[int, dict[str, int]] = defaultdict(dict)
    key = f"cooperative__commune{LEVEL_SUFFIX[level]}_id"
    person = {"distinct": True}
    aggregates = {
        "members": Count("person_id", **person),
        "youth": Count("person_id", filter=youth_q(as_of, prefix="person__"), **person),
        **{f"sex:{s}": Count("person_id", filter=Q(person__sex=s), **person) for s in Sex.values},
        **{
            f"age:{low}": Count("person_id", filter=born_between(as_of, low, high), **person)
            for low, high in AGE_BANDS
        },
    }
    names = list(aggregates)
    rows = (
        memberships_of_alive(as_of)
        .filter(_where("cooperative__commune", level, ids, root))
        .order_by()
        .values_list(key)
        .annotate(**{f"c{i}": aggregates[n] for i, n in enumerate(names)})
    )
    for area, *counts in rows:
        out[area].update(zip(names, counts, strict=True))
    trained = (
        Participant.objects.filter(
            _where("session__commune", level, ids, root),
            completed=True,
            session__ends_on__lte=as_of,
        )
        .order_by()
        .values_list(f"session__commune{LEVEL_SUFFIX[level]}_id")
        .annotate(n=Count("person_id", distinct=True))
    )
    for area, n in trained:
        out[area]["trained"] = n
    return out


# --- keeping the rows fresh --------------------------------------------------------------


def _level_of(path: str) -> str:
    return LEVELS[4 - len([c for c in path.split("/") if c])]


def _last_changes(root: Area, by_path: dict[str, int], as_of) -> dict[int, datetime.datetime]:
    """When each area of ``root``'s subtree last changed (a change in a commune changes
    its department, region and country too). Only the changes that count on ``as_of``
    (a member admitted today leaves last month's figures right)."""
    latest: dict[int, datetime.datetime] = {}
    for path, changed_at in AreaChange.objects.filter(
        area__path__startswith=root.path, affects_from__lte=as_of
    ).values_list("area__path", "changed_at"):
        codes = [c for c in path.split("/") if c]
        for depth in range(1, len(codes) + 1):
            pk = by_path.get("/".join(codes[:depth]) + "/")
            if pk is not None and (pk not in latest or latest[pk] < changed_at):
                latest[pk] = changed_at
    return latest


def refresh(root: Area, year: int, as_of: datetime.date) -> dict[int, dict]:
    """Recompute the stale or missing rows of ``root``'s subtree; return every row's values
    (area id -> components)."""
    from monitoring.models import AreaFigures

    started = timezone.now()
    nodes = {
        pk: (parent, path)
        for pk, parent, path in Area.objects.filter(path__startswith=root.path).values_list(
            "id", "parent_id", "path"
        )
    }
    by_path = {path: pk for pk, (_parent, path) in nodes.items()}
    stored = {
        area: (computed_at, values)
        for area, computed_at, values in AreaFigures.objects.filter(
            year=year, as_of=as_of, area__path__startswith=root.path
        ).values_list("area_id", "computed_at", "values")
    }
    latest = _last_changes(root, by_path, as_of)
    stale_by_level: dict[str, list[int]] = defaultdict(list)
    for pk, (_parent, path) in nodes.items():
        row = stored.get(pk)
        if row is None or (pk in latest and latest[pk] > row[0]):
            stale_by_level[_level_of(path)].append(pk)
    if not stale_by_level:
        return {pk: values for pk, (_at, values) in stored.items()}

    def among(level: str) -> list[int] | None:
        ids = stale_by_level.get(level, [])
        total = sum(1 for _p, path in nodes.values() if _level_of(path) == level)
        return None if len(ids) == total else sorted(ids)

    values: dict[int, dict] = {pk: v for pk, (_at, v) in stored.items()}
    fresh: dict[int, dict] = {}
    communes = stale_by_level.get("commune", [])
    if communes:
        computed = additive(root, year, as_of, among("commune"))
        for pk in communes:
            fresh[pk] = dict(computed.get(pk, {}))
    children: dict[int, list[int]] = defaultdict(list)
    for pk, (parent, _path) in nodes.items():
        if parent in nodes:
            children[parent].append(pk)
    for level in LEVELS:
        ids = stale_by_level.get(level, [])
        if not ids:
            continue
        if level != "commune":
            for pk in ids:
                total: dict[str, int] = defaultdict(int)
                for child in children[pk]:
                    for k, v in fresh.get(child, values.get(child, {})).items():
                        if not is_distinct(k):
                            total[k] += v
                fresh[pk] = dict(total)
        counted = distinct(root, as_of, level, among(level))
        for pk in ids:
            fresh[pk].update(counted.get(pk, {}))
    AreaFigures.objects.bulk_create(
        [
            AreaFigures(area_id=pk, year=year, as_of=as_of, values=v, computed_at=started)
            for pk, v in fresh.items()
        ],
        update_conflicts=True,
        unique_fields=["area", "year", "as_of"],
        update_fields=["values", "computed_at"],
        batch_size=500,
    )
    values.update(fresh)
    return values


def figures(
    wanted: Iterable[tuple[Area, int, datetime.date]], *, lag: float | None = None
) -> dict[tuple, dict]:
    """The components of each ``(area, year, as_of)``, keyed ``(area.pk, year, as_of)``.

    Two queries when no row needs computing, whatever the size of the data. Missing rows
    are computed first, and stale rows older than ``lag`` seconds (default
    ``settings.MONITORING_FIGURES_LAG``; 0: every stale row) recomputed (:func:`refresh`)."""
    from monitoring.models import AreaFigures

    wanted = list(dict.fromkeys((a, y, d) for a, y, d in wanted))
    if not wanted:
        return {}
    q = Q()
    for (y, d), areas in _group(wanted).items():
        q |= Q(year=y, as_of=d, area_id__in=sorted({a.pk for a in areas}))
    rows = {
        (area, y, d): (at, values)
        for area, y, d, at, values in AreaFigures.objects.filter(q).values_list(
            "area_id", "year", "as_of", "computed_at", "values"
        )
    }
    lag = settings.MONITORING_FIGURES_LAG if lag is None else lag
    due = timezone.now() - datetime.timedelta(seconds=lag)
    # Only rows old enough to be recomputed need their changes looked at.
    oldest = min((at for at, _v in rows.values() if at <= due), default=None)
    changes = (
        list(
            AreaChange.objects.filter(changed_at__gt=oldest).values_list(
                "area__path", "changed_at", "affects_from"
            )
        )
        if oldest is not None
        else []
    )
    stale = []
    for area, y, d in wanted:
        row = rows.get((area.pk, y, d))
        if row is None or (
            row[0] <= due
            and any(
                path.startswith(area.path) and at > row[0] and since <= d
                for path, at, since in changes
            )
        ):
            stale.append((area, y, d))
    out = {key: values for key, (_at, values) in rows.items()}
    for (y, d), areas in _group(stale).items():
        done: list[Area] = []
        for area in sorted(areas, key=lambda a: len(a.path)):
            if any(area.path.startswith(top.path) for top in done):
                continue
            done.append(area)
            stored = all((a.pk, y, d) in rows for a in areas if a.path.startswith(area.path))
            for pk, values in _refresh_once(area, y, d, stored=stored).items():
                out[(pk, y, d)] = values
    return {(a.pk, y, d): out.get((a.pk, y, d), {}) for a, y, d in wanted}


def _refresh_once(area: Area, year: int, as_of: datetime.date, *, stored: bool) -> dict:
    """:func:`refresh`, by one reader at a time on PostgreSQL: while another recomputes
    the same area and day, a reader that has every row it wants stored serves them (an
    empty answer here), one that lacks some waits for the other and then refreshes (which
    finds the rows fresh)."""
    if connection.vendor != "postgresql":
        return refresh(area, year, as_of)
    with transaction.atomic(), connection.cursor() as cursor:
        key = [as_of.toordinal(), area.pk]
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", key)
        if not cursor.fetchone()[0]:
            if stored:
                return {}
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", key)
        return refresh(area, year, as_of)


def computed_at(area: Area, year: int, as_of: datetime.date) -> datetime.datetime | None:
    """When the stored figures of ``area`` for ``year`` and ``as_of`` were computed."""
    from monitoring.models import AreaFigures

    return (
        AreaFigures.objects.filter(area=area, year=year, as_of=as_of)
        .values_list("computed_at", flat=True)
        .first()
    )


def _group(items) -> dict[tuple, list[Area]]:
    grouped: dict[tuple, list[Area]] = defaultdict(list)
    for area, y, d in items:
        grouped[(y, d)].append(area)
    return grouped


# --- from components to indicators --------------------------------------------------------


def indicator_value(code: str, c: dict):
    """The value of indicator ``code`` from an area's components."""
    g = c.get
    match code:
        case "cooperatives_total":
            return g("coops", 0)
        case "cooperatives_created":
            return g("created", 0)
        case "members_total":
            return g("members", 0)
        case "members_women":
            return g("sex:F", 0)
        case "members_youth":
            return g("youth", 0)
        case "decent_jobs":
            return g("jobs", 0) + jobs_from_work(g("work_days", 0))
        case "cooperatives_supported_pct":
            return percent(g("supported", 0), g("coops", 0))
        case "production_value":
            return g("sales", 0)
        case "production_volume":
            return g("produced_kg", 0)
        case "loans_outstanding":
            return g("outstanding", 0)
        case "par30":
            return ratio(g("at_risk30", 0), g("outstanding", 0))
        case "recovery_rate":
            return ratio(g("collected", 0), g("due", 0))
        case "trained_people":
            return g("trained", 0)
        case "purchases_value":
            return g("purchases", 0)
        case "purchases_savings":
            return g("purchase_savings", 0)
        case "cooperatives_buying_together":
            return g("buying", 0)
        case "health_covered_persons":
            return g("health_persons", 0)
        case "health_households_covered":
            return g("health_households_covered", 0)
        case "health_contribution_recovery":
            return ratio(g("health_collected", 0), g("health_due", 0))
        case "health_loss_ratio":
            return ratio(g("health_claims", 0), g("health_collected", 0))
    raise KeyError(code)
