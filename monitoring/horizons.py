"""The path to a dated target: where the programme should be on a day on its way there.

The programme's targets are dated (1 000 new CPS in 2025; 3 000 CPS, 10 000 members,
7 000 decent jobs by 2027; 90 % supported by 2026...). On a day without a target of its
own year, the dashboard shows the **next dated target** and the **path** to it: a straight
line from a starting point to the target on the last day of its year. The starting point
is the previous dated target of the same indicator and area (on the last day of its
year), else the baseline of a relative target ("double 2025's production": 1 × the 2025
value on 31/12/2025), else the programme's launch with nothing (21/03/2025, Koumpentoum:
docs/programme-facts.md). Pure functions; the targets are read in
``monitoring.selectors.target_horizons``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PROGRAMME_START = datetime.date(2025, 3, 21)


@dataclass(frozen=True)
class Waypoint:
    on: datetime.date
    value: Decimal


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def path_value(start: Waypoint, end: Waypoint, on: datetime.date) -> Decimal | None:
    """The value on ``on`` of the straight line from ``start`` to ``end`` (to 0.1), held at
    ``end`` after it; ``None`` before ``start`` (the path has not begun)."""
    if on < start.on:
        return None
    if on >= end.on or end.on <= start.on:
        return end.value
    share = Decimal((on - start.on).days) / Decimal((end.on - start.on).days)
    value = start.value + (end.value - start.value) * share
    return value.quantize(Decimal("0.1"), ROUND_HALF_UP)


def start_point(
    *,
    earlier: tuple[int, Decimal] | None,
    baseline_year: int | None,
    multiplier: Decimal | None,
    target: Decimal,
) -> Waypoint:
    """Where the path to ``target`` begins (see the module's docstring)."""
    if earlier is not None:
        year, value = earlier
        return Waypoint(year_end(year), Decimal(value))
    if baseline_year is not None and multiplier:
        return Waypoint(year_end(baseline_year), Decimal(target) / Decimal(multiplier))
    return Waypoint(PROGRAMME_START, Decimal(0))
