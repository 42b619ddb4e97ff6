"""The price of a booking: days × the day's price of each placement, per country chosen
(or the whole network's price), from the administrators' tariff table, else the setting
SPONSORING_PRICES (docs/sponsoring.md)."""

from __future__ import annotations

from django.conf import settings

from sponsoring.models import Placement, Tariff


def day_prices() -> dict[str, tuple[int, int]]:
    """``{placement: (per country, whole network)}`` for every placement."""
    prices = {p: tuple(settings.SPONSORING_PRICES[p]) for p in Placement.values}
    for row in Tariff.objects.all():
        prices[row.placement] = (row.price_per_day, row.price_per_day_all)
    return prices


def booking_price(*, placements, countries, starts_on, ends_on) -> int:
    """``countries == [""]``: the whole network."""
    days = (ends_on - starts_on).days + 1
    prices = day_prices()
    whole = countries == [""]
    per_day = sum(prices[p][1] if whole else prices[p][0] * len(countries) for p in placements)
    return days * per_day
