"""Reads of the national monitoring: indicator values against targets, by area."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from accounts.scoping import scope_for
from core import dates
from core.errors import Forbidden, NotFound
from core.money import format_xof, round_xof
from geo.boundaries import colour_steps
from geo.models import Area
from monitoring import horizons, rollups, rules
from monitoring.indicators import BY_CODE, INDICATORS, Context
from monitoring.models import Target

PERCENT_UNITS = {"percent", "ratio"}
HEADLINE = ["cooperatives_total", "members_total", "members_women", "decent_jobs"]


def default_as_of(year: int, today: datetime.date) -> datetime.date:
    """The last day of ``year``, or ``today`` for the current year."""
    return min(datetime.date(year, 12, 31), today)


def monitoring_area_get(*, actor, code: str | None = None) -> Area:
    """The area whose figures ``actor`` may see: national any; an agent within their own."""
    scope = scope_for(actor)
    if not rules.may_follow.test(actor):
        raise Forbidden(_("Le suivi national est réservé au ministère et aux agents."))
    if not code:
        if scope.national:
            code = "SN"
        else:
            return Area.objects.filter(path__in=sorted(scope.area_paths)).order_by("path")[0]
    area = Area.objects.select_related("parent").filter(code=code).first()
    if area is None:
        raise NotFound(_("Zone inconnue."), field="area")
    if not rules.may_see_area.test(actor, area):
        raise NotFound(_("Zone inconnue."), field="area")
    return area


def baseline_days(today: datetime.date) -> set[tuple[int, datetime.date]]:
    """``(year, as_of)`` of every relative target's baseline: the figures
    :func:`targets_with_basis` reads (``manage.py monitoring_refresh`` stores them ahead)."""
    years = (
        Target.objects.filter(baseline_year__isnull=False)
        .values_list("baseline_year", flat=True)
        .distinct()
        .order_by()
    )
    return {(y, default_as_of(y, today)) for y in years}


def targets_with_basis(*, area: Area, year: int) -> dict[str, tuple[Decimal | None, str]]:
    """Each indicator's target for ``area`` and ``year``, with how it was obtained.

    A relative target ("production doubled") is its multiplier times the indicator's
    measured value in the baseline year (to the end of that year, or to today while it
    runs), for the same area; ``None`` until the baseline holds a figure."""
    rows = list(
        Target.objects.filter(area=area, year=year).values_list(
            "indicator", "value", "baseline_year", "multiplier"
        )
    )
    today = dates.today()
    bases = {
        (b, default_as_of(b, today)) for _c, _v, b, _m in rows if b is not None and _c in BY_CODE
    }
    stored = rollups.figures([(area, b, d) for b, d in sorted(bases)]) if bases else {}
    out: dict[str, tuple[Decimal | None, str]] = {}
    for code, value, baseline_year, multiplier in rows:
        if baseline_year is None or code not in BY_CODE:
            out[code] = (value, "")
            continue
        as_of = default_as_of(baseline_year, today)
        measured = rollups.indicator_value(code, stored[(area.pk, baseline_year, as_of)])
        target = (Decimal(multiplier) * Decimal(measured)).quantize(Decimal("1"))
        basis = (
            f"{multiplier.normalize()} × valeur {baseline_year} "
            f"({format_xof(measured, currency=BY_CODE[code].unit == 'XOF')}"
            f"{' au ' + as_of.strftime('%d/%m/%Y') if as_of.year == today.year else ''})"
        )
        out[code] = (target if measured else None, basis)
    return out


def targets_for(*, area: Area, year: int) -> dict[str, Decimal]:
    return {c: v for c, (v, _b) in targets_with_basis(area=area, year=year).items()}


def progress(value, target) -> Decimal | None:
    if target in (None, 0):
        return None
    return (Decimal(100) * Decimal(value) / Decimal(target)).quantize(Decimal("0.1"))


def _check_visible(actor, area: Area) -> None:
    """The stored figures count every record of an area: only for those who may see it all."""
    if not rules.may_see_area.test(actor, area):
        raise NotFound(_("Zone inconnue."), field="area")


def _rows(components: dict, targets: dict, codes: list[str] | None) -> list[dict]:
    rows = []
    for indicator in INDICATORS if codes is None else [BY_CODE[c] for c in codes]:
        value = rollups.indicator_value(indicator.code, components)
        target, basis = targets.get(indicator.code, (None, ""))
        rows.append(
            {
                "code": indicator.code,
                "label": str(indicator.label),
                "unit": indicator.unit,
                "definition": str(indicator.definition),
                "value": value,
                "target": target,
                "progress": progress(value, target),
                "target_basis": basis,
                "list_url": indicator.list_url,
            }
        )
    return rows


def target_horizons(*, area: Area, year: int, as_of: datetime.date) -> dict[str, dict]:
    """For each indicator with a target in ``year`` or later: the next dated target (the
    first year on or after ``year``), and the path to it on ``as_of``
    (:mod:`monitoring.horizons`): ``{code: {"next_target", "next_target_year",
    "next_target_basis", "path", "path_from"}}``."""
    entries: dict[str, list[tuple]] = {}
    for code, *rest in Target.objects.filter(area=area).values_list(
        "indicator", "year", "value", "baseline_year", "multiplier"
    ):
        entries.setdefault(code, []).append(tuple(rest))
    next_year = {
        code: min(y for y, *_ in rows if y >= year)
        for code, rows in entries.items()
        if any(y >= year for y, *_ in rows)
    }
    resolved = {y: targets_with_basis(area=area, year=y) for y in set(next_year.values())}
    out = {}
    for code, y in next_year.items():
        target, basis = resolved[y].get(code, (None, ""))
        row = {"next_target": target, "next_target_year": y, "next_target_basis": basis}
        row.update(path=None, path_from=None)
        if target is not None:
            _y, _v, baseline_year, multiplier = next(e for e in entries[code] if e[0] == y)
            earlier = [(ey, ev) for ey, ev, *_ in entries[code] if ey < y and ev is not None]
            start = horizons.start_point(
                earlier=max(earlier) if earlier else None,
                baseline_year=baseline_year,
                multiplier=multiplier,
                target=target,
            )
            end = horizons.Waypoint(horizons.year_end(y), Decimal(target))
            row.update(path=horizons.path_value(start, end, as_of), path_from=start)
        out[code] = row
    return out


def _with_horizons(rows: list[dict], found: dict[str, dict]) -> list[dict]:
    """Each row with its next dated target, its path on the day and the progress toward
    it (``next_progress``); ``on_track``: the value has reached the path (None: no path)."""
    for row in rows:
        h = found.get(row["code"], {})
        row.update(
            next_target=h.get("next_target"),
            next_target_year=h.get("next_target_year"),
            next_target_basis=h.get("next_target_basis", ""),
            path=h.get("path"),
            path_whole=None if h.get("path") is None else round_xof(h["path"]),
            path_from=h.get("path_from"),
            next_progress=progress(row["value"], h.get("next_target")),
            on_track=None if h.get("path") is None else Decimal(row["value"]) >= h["path"],
        )
    return rows


def indicator_values(
    *, actor, area: Area, year: int, as_of: datetime.date, codes: list[str] | None = None
) -> list[dict]:
    """The indicators of ``area`` from the stored figures (recomputed first if stale):
    value, the target of ``year`` (``target``, ``progress``) and the next dated target
    with the path to it on ``as_of`` (``next_target``, ``next_target_year``, ``path``,
    ``next_progress``, ``on_track``)."""
    _check_visible(actor, area)
    components = rollups.figures([(area, year, as_of)])[(area.pk, year, as_of)]
    rows = _rows(components, targets_with_basis(area=area, year=year), codes)
    return _with_horizons(rows, target_horizons(area=area, year=year, as_of=as_of))


def figures_computed_at(
    *, actor, area: Area, year: int, as_of: datetime.date
) -> datetime.datetime | None:
    """When the figures :func:`indicator_values` shows for ``area`` were computed (they may
    lag the data by ``settings.MONITORING_FIGURES_LAG`` seconds)."""
    _check_visible(actor, area)
    return rollups.computed_at(area, year, as_of)


def indicator_values_from_scratch(
    *, actor, area: Area, year: int, as_of: datetime.date, codes: list[str] | None = None
) -> list[dict]:
    """The same figures computed from the raw rows through the actor's scope (the reference
    the rollups are tested against; slow at national scale)."""
    ctx = Context(actor=actor, area=area, year=year, as_of=as_of)
    targets = targets_for(area=area, year=year)
    cache: dict = {}
    rows = []
    for indicator in INDICATORS if codes is None else [BY_CODE[c] for c in codes]:
        value = indicator.compute(ctx, cache)
        target = targets.get(indicator.code)
        rows.append(
            {
                "code": indicator.code,
                "value": value,
                "target": target,
                "progress": progress(value, target),
            }
        )
    return rows


def area_breakdown(*, actor, area: Area, year: int, as_of: datetime.date) -> list[dict]:
    """The headline indicators for each child area (drill-down), largest first."""
    _check_visible(actor, area)
    children = list(Area.objects.filter(parent=area).order_by("name"))
    stored = rollups.figures([(child, year, as_of) for child in children])
    rows = []
    for child in children:
        c = stored[(child.pk, year, as_of)]
        values = {code: rollups.indicator_value(code, c) for code in HEADLINE}
        rows.append({"area": child, **values, "cells": list(values.items())})
    rows.sort(key=lambda r: (-r["cooperatives_total"], r["area"].name))
    return rows


def member_counts(
    *, actor, areas: list[Area], as_of: datetime.date | None = None
) -> dict[int, dict[str, int]]:
    """Members (distinct persons) and women of each area on ``as_of`` (default today), from
    the stored figures (recomputed first if stale): ``{area.pk: {"members", "women"}}``.

    The same definition as the dashboard's ``members_total`` / ``members_women``; two
    queries when the rows are fresh, whatever the size of the data."""
    as_of = as_of or dates.today()
    for area in areas:
        _check_visible(actor, area)
    stored = rollups.figures([(area, as_of.year, as_of) for area in areas])
    return {
        area.pk: {
            "members": rollups.indicator_value("members_total", c),
            "women": rollups.indicator_value("members_women", c),
        }
        for area in areas
        for c in [stored[(area.pk, as_of.year, as_of)]]
    }


def area_headlines(
    *, actor, areas: list[Area], as_of: datetime.date | None = None
) -> dict[int, dict]:
    """The home pages' figures of each area on ``as_of`` (default today), read from the
    stored figures with the dashboard's definitions: ``{area.pk: {"cooperatives" (existing
    that day: founded by then, not dissolved), "members", "women" (distinct persons),
    "by_stage" ({stage: existing cooperatives})}}``. Two queries when the rows are fresh."""
    as_of = as_of or dates.today()
    for area in areas:
        _check_visible(actor, area)
    stored = rollups.figures([(area, as_of.year, as_of) for area in areas])
    out = {}
    for area in areas:
        c = stored[(area.pk, as_of.year, as_of)]
        out[area.pk] = {
            "cooperatives": rollups.indicator_value("cooperatives_total", c),
            "members": rollups.indicator_value("members_total", c),
            "women": rollups.indicator_value("members_women", c),
            "by_stage": {k.split(":", 1)[1]: v for k, v in c.items() if k.startswith("stage:")},
        }
    return out


def area_ancestors(area: Area, *, actor) -> list[dict]:
    """The areas above ``area`` (country first), each with ``visible``: whether ``actor``
    may open its figures (a page links only those; an agent's region or country is not)."""
    scope = scope_for(actor)
    codes = area.path_codes()[:-1]
    by_code = {a.code: a for a in Area.objects.filter(code__in=codes)}
    return [
        {
            "area": by_code[c],
            "visible": scope.national or scope.covers(by_code[c]),
        }
        for c in codes
        if c in by_code
    ]


def descendant_commune_counts(area: Area) -> dict[int, int]:
    """For each child of ``area``: how many communes lie below it (cascade weights)."""
    counts = {}
    for child in Area.objects.filter(parent=area):
        counts[child.pk] = Area.objects.filter(
            Q(path__startswith=child.path), level="commune"
        ).aggregate(n=Count("id"))["n"]
    return counts


def target_list(*, actor, year: int | None = None):
    if not scope_for(actor).national:
        raise Forbidden(_("Les cibles sont gérées par le ministère."))
    qs = Target.objects.select_related("area").order_by("year", "indicator", "area__path")
    return qs.filter(year=year) if year else qs


# --- breakdowns, trend and map ------------------------------------------------------------


def breakdowns(*, actor, area: Area, year: int, as_of: datetime.date) -> dict[str, list]:
    """Members by sex and age band; cooperatives by sector, legal form, value-chain stage
    and lifecycle stage. Each list holds ``(label, count, bar %)``; cooperatives largest
    first, sex and age in their natural order."""
    from registry.models import LegalForm, Sector, Sex, Stage, ValueChainStage

    _check_visible(actor, area)
    c = rollups.figures([(area, year, as_of)])[(area.pk, year, as_of)]

    def counted(prefix: str, labels: dict) -> list:
        rows = [
            (str(labels.get(k[len(prefix) :], k[len(prefix) :])), n)
            for k, n in c.items()
            if k.startswith(prefix) and n
        ]
        return sorted(rows, key=lambda r: (-r[1], r[0]))

    sectors = {str(pk): name for pk, name in Sector.objects.values_list("pk", "name")}
    return {
        key: with_shares(rows)
        for key, rows in {
            "sex": [(str(Sex(k).label), c.get(f"sex:{k}", 0)) for k in Sex.values],
            "age": [
                (f"{low}-{high}" if high < 120 else f"{low}+", c.get(f"age:{low}", 0))
                for low, high in rollups.AGE_BANDS
            ],
            "sector": counted("sector:", sectors),
            "legal_form": counted("form:", dict(LegalForm.choices)),
            "value_chain_stage": counted("chain:", dict(ValueChainStage.choices)),
            "stage": counted("stage:", dict(Stage.choices)),
        }.items()
    }


def with_shares(rows: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
    """Add to each ``(label, n)`` its bar length: a percentage of the largest ``n``."""
    top = max((n for _code, n in rows), default=0)
    return [(label, n, round(100 * n / top) if top else 0) for label, n in rows]


def month_ends(year: int, as_of: datetime.date) -> list[datetime.date]:
    """The last day of each month of ``year`` up to ``as_of`` (``as_of`` for its month)."""
    days = []
    for month in range(1, 13):
        end = datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)
        if as_of < datetime.date(year, month, 1):
            break
        days.append(min(end, as_of))
    return days


def monthly_trend(*, actor, area: Area, year: int, as_of: datetime.date) -> list[dict]:
    """Cooperatives and members at the end of each month of ``year`` up to ``as_of``."""
    _check_visible(actor, area)
    days = month_ends(year, as_of)
    stored = rollups.figures([(area, year, day) for day in days])
    rows = []
    for day in days:
        c = stored[(area.pk, year, day)]
        rows.append(
            {
                "month": day.replace(day=1),
                "as_of": day,
                "cooperatives_total": rollups.indicator_value("cooperatives_total", c),
                "members_total": rollups.indicator_value("members_total", c),
            }
        )
    return rows


MAP_CODES = ["cooperatives_total", "members_total", "members_women", "decent_jobs"]


def region_map(*, actor, indicator: str, year: int, as_of: datetime.date) -> list[dict]:
    """Senegal's regions with the chosen indicator and a colour step 0-4 (the dashboard
    draws them on the regions' map, geo/_area_map.html).

    A region wholly within the actor's scope shows its figure; a region holding the
    actor's (smaller) area shows that area's figure; other regions show none. ``link`` is
    the area a tile opens: the region, the actor's area inside it, or None (not shown as a
    link: the actor may not open it)."""
    if indicator not in MAP_CODES:
        indicator = MAP_CODES[0]
    scope = scope_for(actor)
    regions = list(Area.objects.filter(parent__code="SN", level="region").order_by("code"))
    own = list(Area.objects.filter(path__in=sorted(scope.area_paths))) if not scope.national else []
    shown: dict[int, Area] = {}
    for region in regions:
        if scope.national or scope.covers(region):
            shown[region.pk] = region
        else:
            inside = [a for a in own if a.path.startswith(region.path)]
            if len(inside) == 1:
                shown[region.pk] = inside[0]
    stored = rollups.figures([(a, year, as_of) for a in shown.values()])
    tiles = []
    for region in regions:
        value = None
        if region.pk in shown:
            c = stored[(shown[region.pk].pk, year, as_of)]
            value = rollups.indicator_value(indicator, c)
        link = shown[region.pk].code if region.pk in shown else None
        tiles.append({"area": region, "value": value, "link": link})
    steps = colour_steps({t["area"].code: t["value"] for t in tiles})
    for t in tiles:
        t["step"] = steps[t["area"].code]
    return tiles


# --- quarterly reports ----------------------------------------------------------------------


def report_list(*, actor):
    """The reports of areas the actor may see (the national role: all), newest first."""
    from monitoring.models import Report

    scope = scope_for(actor)
    if not (scope.national or scope.area_paths):
        raise Forbidden(_("Les rapports du programme sont réservés au ministère et aux agents."))
    qs = Report.objects.select_related("area").defer("pdf", "xlsx")
    if not scope.national:
        q = Q(pk__in=[])
        for path in sorted(scope.area_paths):
            q |= Q(area__path__startswith=path)
        qs = qs.filter(q)
    return qs.order_by("-requested_at", "-id")


def report_get(*, actor, pk):
    from monitoring.models import Report

    try:
        return report_list(actor=actor).get(pk=pk)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Rapport introuvable.")) from None


def report_file(*, actor, pk, kind: str) -> tuple[object, bytes]:
    """The report and its built file (``pdf`` or ``xlsx``); 404 while it is not ready."""
    from monitoring.models import Report

    report = report_get(actor=actor, pk=pk)
    if kind not in ("pdf", "xlsx"):
        raise NotFound(_("Format inconnu."))
    data = Report.objects.filter(pk=report.pk).values_list(kind, flat=True).first()
    if not data:
        raise NotFound(_("Ce rapport n'est pas encore prêt."))
    return report, bytes(data)


# --- the records behind a figure --------------------------------------------------------------


def indicator_records(*, actor, code: str, area: Area, year: int, as_of: datetime.date) -> dict:
    """The records a figure counts, through the actor's scope and the indicator's own
    definition (monitoring.indicators): ``{"kind", "rows", "total"}`` where ``kind`` says
    what ``rows`` (a queryset, or a list for sales) holds."""
    from credit.models import LoanStatus
    from credit.selectors import loan_list
    from credit.sums import IN_PORTFOLIO
    from monitoring import indicators as ind
    from registry.models import Employment, Person
    from registry.selectors import youth_q
    from training.models import Participant
    from training.selectors import cooperatives_supported

    if code not in BY_CODE:
        raise NotFound(_("Indicateur inconnu."))
    _check_visible(actor, area)
    ctx = Context(actor=actor, area=area, year=year, as_of=as_of)
    start = datetime.date(year, 1, 1)
    if code in PURCHASE_CODES:
        return purchase_records(ctx)
    if code.startswith("health_"):
        rows = (
            ind.health_households(ctx)
            .filter(enrolled_on__lte=as_of)
            .select_related("head", "scheme", "cooperative")
            .order_by("scheme__name", "-enrolled_on", "-id")
        )
        return {"kind": "health_households", "rows": rows}
    if code == "cooperatives_total":
        return {"kind": "cooperatives", "rows": ind.cooperatives_alive(ctx)}
    if code == "cooperatives_created":
        in_year = ind.created_q(start, as_of)
        return {"kind": "cooperatives", "rows": ind.cooperatives_in_scope(ctx).filter(in_year)}
    if code == "cooperatives_supported_pct":
        rows = cooperatives_supported(actor=actor, as_of=as_of).filter(
            commune__path__startswith=area.path
        )
        return {"kind": "cooperatives", "rows": rows}
    if code in ("members_total", "members_women", "members_youth"):
        members = ind.memberships_held(ctx)
        if code == "members_women":
            members = members.filter(person__sex="F")
        if code == "members_youth":
            members = members.filter(youth_q(as_of, prefix="person__"))
        return {
            "kind": "persons",
            "rows": Person.objects.filter(id__in=members.values("person_id")),
        }
    if code == "trained_people":
        done = Participant.objects.filter(
            completed=True,
            session__ends_on__lte=as_of,
            session__commune__path__startswith=area.path,
            session__in=ind.sessions_in_scope(ctx),
        )
        return {"kind": "persons", "rows": Person.objects.filter(id__in=done.values("person_id"))}
    if code == "decent_jobs":
        from registry.jobs import decent_job_q

        rows = Employment.objects.filter(
            decent_job_q(as_of), cooperative__in=ind.cooperatives_alive(ctx)
        ).select_related("person", "cooperative")
        return {"kind": "jobs", "rows": rows, "work": _work_records(ctx)}
    if code == "production_value":
        return _sales_records(ctx)
    if code == "production_volume":
        return _production_records(ctx)
    loans = (
        loan_list(actor=actor, area=area.code)
        .filter(status__in=IN_PORTFOLIO, disbursed_on__lte=as_of)
        .exclude(status=LoanStatus.WRITTEN_OFF, closed_on__lte=as_of)
        .exclude(closed_on__lt=start)
    )
    return {"kind": "loans", "rows": loans.order_by("-disbursed_on", "-id")}


def _sales_records(ctx: Context) -> dict:
    """The cooperatives behind the sales figure, each with its sales, largest first."""
    from monitoring import indicators as ind

    start, as_of = ctx.year_start, ctx.as_of
    rows = (
        ind.sales_lines(start, as_of)
        .filter(cooperative__in=ind.cooperatives_in_scope(ctx))
        .order_by()
        .values("cooperative_id", "cooperative__name")
        .annotate(credit=Sum("credit"), debit=Sum("debit"))
    )
    sales = sorted(
        (
            {
                "id": r["cooperative_id"],
                "name": r["cooperative__name"],
                "amount": ind.net_sales(r["credit"], r["debit"]),
            }
            for r in rows
        ),
        key=lambda r: (-r["amount"], r["name"]),
    )
    return {"kind": "sales", "rows": sales}


def _work_records(ctx: Context) -> dict:
    """The members' work days behind the decent-jobs figure (``production_work``), per
    cooperative, most days first, with the full-time-equivalent jobs of their total."""
    from monitoring import indicators as ind

    rows = list(
        ind.production_work(ctx.as_of)
        .filter(cooperative__in=ind.cooperatives_alive(ctx))
        .order_by()
        .values("cooperative_id", "cooperative__name")
        .annotate(days=Sum("work_days"), runs=Count("id"))
        .order_by("-days", "cooperative__name")
    )
    days = sum(r["days"] for r in rows)
    return {
        "rows": rows,
        "days": days,
        "jobs": ind.jobs_from_work(days),
        "per_job": ind.work_days_per_job(),
        "since": ctx.as_of - datetime.timedelta(days=364),
    }


def _production_records(ctx: Context) -> dict:
    """The production behind the volume figure, per value chain and product (each in its
    unit and in kilograms), largest first."""
    from monitoring import indicators as ind

    rows = (
        ind.production_lots(ctx.year_start, ctx.as_of)
        .filter(cooperative__in=ind.cooperatives_in_scope(ctx))
        .order_by()
        .values("site__value_chain_id", "site__value_chain__name", "product__name", "product__unit")
        .annotate(q=Sum("quantity"), lots=Count("id"))
    )
    out = [
        {
            "chain_id": r["site__value_chain_id"],
            "chain": r["site__value_chain__name"],
            "product": r["product__name"],
            "unit": r["product__unit"],
            "quantity": r["q"],
            "lots": r["lots"],
            "kg": ind.kilograms([(r["product__unit"], r["q"])]),
        }
        for r in rows
    ]
    return {"kind": "production", "rows": sorted(out, key=lambda r: (-r["kg"], r["chain"]))}


PURCHASE_CODES = ("purchases_value", "purchases_savings", "cooperatives_buying_together")


def purchase_records(ctx: Context) -> dict:
    """The cooperatives invoiced by a centrale d'achat in the year (scoped), each with its
    invoices' amount and saving against market prices, largest amount first."""
    from monitoring.indicators import purchase_invoices
    from purchasing.models import InvoiceLine
    from purchasing.pricewatch import saving_rows, savings_by

    invoices = purchase_invoices(ctx)
    rows = (
        invoices.order_by()
        .values("cooperative_id", "cooperative__name")
        .annotate(amount=Sum("amount"), invoices=Count("id"))
    )
    lines = InvoiceLine.objects.filter(invoice__in=invoices)
    saved = savings_by(saving_rows(lines, by="invoice__cooperative_id"))
    found = [
        {
            "id": r["cooperative_id"],
            "name": r["cooperative__name"],
            "amount": int(r["amount"] or 0),
            "invoices": r["invoices"],
            "saving": saved.get(r["cooperative_id"], 0),
        }
        for r in rows
    ]
    return {"kind": "purchases", "rows": sorted(found, key=lambda r: (-r["amount"], r["name"]))}


def loan_figures_on(loans, as_of, period_start) -> dict:
    """Each listed loan's figures on ``as_of`` (outstanding, days late, due, collected)."""
    from credit.arrears import figures_for
    from credit.models import Loan

    tolerance = dict(
        Loan.objects.filter(pk__in=[loan.pk for loan in loans]).values_list(
            "pk", "terms__arrears_tolerance"
        )
    )
    return figures_for(
        [(loan.pk, loan.principal, int(tolerance.get(loan.pk) or 0)) for loan in loans],
        as_of,
        period_start,
    )
