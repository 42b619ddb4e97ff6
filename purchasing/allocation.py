"""The closing rule (fixed; Foodsoft's), on plain integers: see docs/purchasing.md.

For one offer, with Q the sum of the orders' quantities and T of their tolerances:
``packs = Q // pack_size``, plus one more pack when the remainder is above 0 and
remainder + T >= pack_size; fewer than ``min_packs`` packs gives 0. The units
(``packs × pack_size``, or the units received) go first to the orders' quantities,
oldest order first, then to their tolerances, oldest first.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Demand:
    key: Hashable  # the cooperative
    quantity: int
    tolerance: int


@dataclass(frozen=True)
class Result:
    packs: int
    units: int
    allocations: dict  # key -> quantity (every demand's key, 0 included), oldest first


def packs_for(pack_size: int, min_packs: int, demands: Sequence[Demand]) -> int:
    quantity = sum(d.quantity for d in demands)
    tolerance = sum(d.tolerance for d in demands)
    packs, remainder = divmod(quantity, pack_size)
    if remainder > 0 and remainder + tolerance >= pack_size:
        packs += 1
    return 0 if packs < min_packs else packs


def distribute(units: int, demands: Sequence[Demand]) -> dict:
    """``units`` to the quantities oldest first, then to the tolerances oldest first."""
    given = {d.key: 0 for d in demands}
    left = units
    for part in ("quantity", "tolerance"):
        for d in demands:
            take = min(getattr(d, part), left)
            given[d.key] += take
            left -= take
    return given


def allocate(
    *, pack_size: int, min_packs: int, demands: Sequence[Demand], units: int | None = None
) -> Result:
    """The packs to order and each demand's share (``demands`` oldest first). ``units``:
    what arrived (at receipt), else ``packs × pack_size``."""
    if pack_size < 1:
        raise ValueError("pack_size must be at least 1")
    packs = packs_for(pack_size, min_packs, demands)
    available = packs * pack_size if units is None else units
    return Result(packs, available, distribute(available, demands))
