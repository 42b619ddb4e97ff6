"""Reads of the national monitoring: indicator values against targets, by area."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q

from accounts.scoping import scope_for
from core.errors import Forbidden, NotFound
from geo.models import Area
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
    if not (scope.national or scope.area_paths):
        raise Forbidden("Le suivi national est réservé au ministère et aux agents.")
    if not code:
        if scope.national:
            code = "SN"
        else:
            return Area.objects.filter(path__in=sorted(scope.area_paths)).order_by("path")[0]
    area = Area.objects.select_related("parent").filter(code=code).first()
    if area is None:
        raise NotFound("Zone inconnue.", field="area")
    if not scope.national and not any(area.path.startswith(p) for p in scope.area_paths):
        raise NotFound("Zone inconnue.", field="area")
    return area


def targets_for(*, area: Area, year: int) -> dict[str, Decimal]:
    return dict(Target.objects.filter(area=area, year=year).values_list("indicator", "value"))


def progress(value, target) -> Decimal | None:
    if target in (None, 0):
        return None
    return (Decimal(100) * Decimal(value) / Decimal(target)).quantize(Decimal("0.1"))


def indicator_values(
    *, actor, area: Area, year: int, as_of: datetime.date, codes: list[str] | None = None
) -> list[dict]:
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
                "label": str(indicator.label),
                "unit": indicator.unit,
                "definition": str(indicator.definition),
                "value": value,
                "target": target,
                "progress": progress(value, target),
                "list_url": indicator.list_url,
            }
        )
    return rows


def area_breakdown(*, actor, area: Area, year: int, as_of: datetime.date) -> list[dict]:
    """The headline indicators for each child area (drill-down), largest first."""
    children = list(Area.objects.filter(parent=area).order_by("name"))
    rows = []
    for child in children:
        values = indicator_values(actor=actor, area=child, year=year, as_of=as_of, codes=HEADLINE)
        rows.append({"area": child, **{v["code"]: v["value"] for v in values}})
    rows.sort(key=lambda r: (-r["cooperatives_total"], r["area"].name))
    return rows


def area_ancestors(area: Area) -> list[Area]:
    codes = area.path_codes()[:-1]
    by_code = {a.code: a for a in Area.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]


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
        raise Forbidden("Les cibles sont gérées par le ministère.")
    qs = Target.objects.select_related("area").order_by("year", "indicator", "area__path")
    return qs.filter(year=year) if year else qs


# --- breakdowns, trend and map ------------------------------------------------------------

AGE_BANDS = [(15, 24), (25, 35), (36, 50), (51, 120)]


def _born_between(as_of: datetime.date, low: int, high: int) -> Q:
    """Aged ``low``..``high`` (inclusive) on ``as_of`` (the registry's birthday arithmetic)."""
    from registry.selectors import _years_before

    latest = _years_before(as_of, low)
    earliest = _years_before(as_of, high + 1) + datetime.timedelta(days=1)
    return Q(person__birth_date__lte=latest, person__birth_date__gte=earliest)


def breakdowns(*, actor, area: Area, year: int, as_of: datetime.date) -> dict[str, list]:
    """Members by sex and age band; cooperatives by sector, legal form, value-chain stage
    and lifecycle stage. Each list holds ``(label, count, bar %)``; cooperatives largest
    first, sex and age in their natural order."""
    from monitoring.indicators import _alive, _members
    from registry.models import LegalForm, Sector, Sex, Stage, ValueChainStage

    ctx = Context(actor=actor, area=area, year=year, as_of=as_of)
    members = _members(ctx)
    by_sex = dict(
        members.order_by().values_list("person__sex").annotate(n=Count("person_id", distinct=True))
    )
    ages = members.aggregate(
        **{
            f"a{low}": Count("person_id", distinct=True, filter=_born_between(as_of, low, high))
            for low, high in AGE_BANDS
        }
    )
    coops = _alive(ctx).order_by()

    def counted(field: str, labels: dict) -> list:
        rows = coops.values_list(field).annotate(n=Count("id"))
        return sorted(((str(labels.get(k, k)), n) for k, n in rows), key=lambda r: -r[1])

    sectors = dict(Sector.objects.values_list("pk", "name"))
    return {
        key: with_shares(rows)
        for key, rows in {
            "sex": [(str(Sex(k).label), by_sex.get(k, 0)) for k in Sex.values],
            "age": [
                (f"{low}-{high}" if high < 120 else f"{low}+", ages[f"a{low}"])
                for low, high in AGE_BANDS
            ],
            "sector": counted("sector_id", sectors),
            "legal_form": counted("legal_form", dict(LegalForm.choices)),
            "value_chain_stage": counted("value_chain_stage", dict(ValueChainStage.choices)),
            "stage": counted("stage", dict(Stage.choices)),
        }.items()
    }


def with_shares(rows: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
    """Add to each ``(label, n)`` its bar length: a percentage of the largest ``n``."""
    top = max((n for _, n in rows), default=0)
    return [(label, n, round(100 * n / top) if top else 0) for label, n in rows]


def monthly_trend(*, actor, area: Area, year: int, as_of: datetime.date) -> list[dict]:
    """Cooperatives and members at the end of each month of ``year`` up to ``as_of``."""
    rows = []
    for month in range(1, 13):
        end = datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)
        day = min(end, as_of)
        if day < datetime.date(year, month, 1):
            break
        values = indicator_values(
            actor=actor,
            area=area,
            year=year,
            as_of=day,
            codes=["cooperatives_total", "members_total"],
        )
        rows.append(
            {"month": datetime.date(year, month, 1), **{v["code"]: v["value"] for v in values}}
        )
    return rows


# Schematic tile map: each region a tile placed roughly where it lies (column, row).
REGION_TILES = {
    "SN-SL": (2, 0),
    "SN-LG": (1, 1),
    "SN-MT": (3, 1),
    "SN-DK": (0, 2),
    "SN-TH": (1, 2),
    "SN-DB": (2, 2),
    "SN-FK": (1, 3),
    "SN-KL": (2, 3),
    "SN-KA": (3, 3),
    "SN-TC": (4, 2),
    "SN-ZG": (0, 4),
    "SN-SE": (1, 4),
    "SN-KD": (2, 4),
    "SN-KE": (4, 4),
}
MAP_CODES = ["cooperatives_total", "members_total", "members_women", "decent_jobs"]


def region_map(*, actor, indicator: str, year: int, as_of: datetime.date) -> list[dict]:
    """Tiles of Senegal's regions with the chosen indicator and a colour step 0-4."""
    if indicator not in MAP_CODES:
        indicator = MAP_CODES[0]
    scope = scope_for(actor)
    tiles = []
    for region in Area.objects.filter(parent__code="SN", level="region").order_by("code"):
        visible = scope.national or any(
            region.path.startswith(p) or p.startswith(region.path) for p in scope.area_paths
        )
        value = None
        if visible:
            value = indicator_values(
                actor=actor, area=region, year=year, as_of=as_of, codes=[indicator]
            )[0]["value"]
        col, row = REGION_TILES.get(region.code, (5, 5))
        tiles.append({"area": region, "value": value, "x": col * 92 + 4, "y": row * 62 + 4})
    top = max((t["value"] or 0 for t in tiles), default=0)
    for t in tiles:
        t["step"] = (
            None
            if t["value"] is None
            else (0 if not top else min(4, int(4 * t["value"] / top + 0.5)))
        )
    return tiles
