"""Writes of the national monitoring: targets, set and cascaded by the national role."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from accounts.scoping import scope_for
from core.errors import Forbidden, ValidationFailed
from core.services import service
from geo.models import Area
from monitoring.indicators import BY_CODE
from monitoring.models import Target
from monitoring.selectors import PERCENT_UNITS, descendant_commune_counts


def _national_only(actor) -> None:
    if not scope_for(actor).national:
        raise Forbidden("Seul le ministère fixe les cibles du programme.")


def _check(indicator: str, year: int, value: Decimal) -> None:
    if indicator not in BY_CODE:
        raise ValidationFailed("Indicateur inconnu.", code="unknown_indicator", field="indicator")
    if not 2000 <= int(year) <= 2100:
        raise ValidationFailed("Année invalide.", code="invalid_year", field="year")
    if value < 0:
        raise ValidationFailed(
            "Une cible ne peut pas être négative.", code="negative", field="value"
        )
    if BY_CODE[indicator].unit in PERCENT_UNITS and value > 100:
        raise ValidationFailed("Un pourcentage ne dépasse pas 100.", code="over_100", field="value")


@service
def target_set(*, actor, indicator: str, area: Area, year: int, value, note: str = "") -> Target:
    _national_only(actor)
    value = Decimal(str(value))
    _check(indicator, year, value)
    target, _created = Target.objects.update_or_create(
        indicator=indicator,
        area=area,
        year=year,
        defaults={"value": value, "note": note, "set_by": actor},
    )
    return target


def split(total: Decimal, weights: dict[int, int]) -> dict[int, Decimal]:
    """Split a whole-number ``total`` by ``weights``; largest remainders take the residue,
    so the parts sum exactly to the total."""
    whole = int(total)
    weight_sum = sum(weights.values())
    if not weights:
        return {}
    if weight_sum == 0:
        weights = dict.fromkeys(weights, 1)
        weight_sum = len(weights)
    raw = {k: Decimal(whole) * w / weight_sum for k, w in weights.items()}
    parts = {k: int(v.to_integral_value(ROUND_DOWN)) for k, v in raw.items()}
    residue = whole - sum(parts.values())
    for k in sorted(raw, key=lambda k: (-(raw[k] - parts[k]), k))[:residue]:
        parts[k] += 1
    return {k: Decimal(v) for k, v in parts.items()}


@service
def target_cascade(*, actor, indicator: str, area: Area, year: int) -> list[Target]:
    """Give each child of ``area`` its share of the area's target.

    Counts are shared in proportion to the communes below each child (equally when no
    commune is loaded yet); percentages apply unchanged to every child.
    """
    _national_only(actor)
    parent = Target.objects.filter(indicator=indicator, area=area, year=year).first()
    if parent is None:
        raise ValidationFailed(
            "Fixez d'abord la cible de cette zone.", code="no_target", field="indicator"
        )
    weights = descendant_commune_counts(area)
    if not weights:
        raise ValidationFailed(
            "Cette zone n'a pas de sous-zones.", code="no_children", field="area"
        )
    if BY_CODE[indicator].unit in PERCENT_UNITS:
        shares = dict.fromkeys(weights, parent.value)
    else:
        shares = split(parent.value, weights)
    note = f"réparti depuis {area.name}"
    children = {a.pk: a for a in Area.objects.filter(pk__in=shares)}
    return [
        target_set(
            actor=actor, indicator=indicator, area=children[pk], year=year, value=v, note=note
        )
        for pk, v in shares.items()
    ]
