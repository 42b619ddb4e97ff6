"""How a claim's service is valuated: the member's copayment, then the ceilings left.

Plain integers (whole francs). The member's copayment (ticket modérateur) is
``round_half_up(amount × rate)``; the mutual pays the rest up to the smallest amount
still available under the ceilings (per person and per household for the benefit, per
person over the year for the scheme); whatever the mutual does not pay, the member pays.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LineValue:
    covered: int  # paid by the mutual to the provider
    copayment: int  # paid by the member
    capped: bool  # a ceiling reduced the mutual's share


def copayment_of(amount: int, percent: int) -> int:
    """``amount`` × ``percent`` / 100, rounded half up, in whole francs."""
    return (amount * percent * 2 + 100) // 200


def valuate_line(*, amount: int, copayment_percent: int, rooms: list[int | None]) -> LineValue:
    """``rooms``: what each applicable ceiling still allows (None: no ceiling)."""
    if amount < 0 or not 0 <= copayment_percent <= 100:
        raise ValueError("amount >= 0 and 0 <= copayment_percent <= 100")
    share = amount - copayment_of(amount, copayment_percent)
    limits = [max(r, 0) for r in rooms if r is not None]
    covered = min([share, *limits])
    return LineValue(covered, amount - covered, covered < share)
