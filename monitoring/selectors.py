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
