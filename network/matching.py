"""The matchfunding rule (fixed by docs/api.md, "Network portal"; Goteo's rule).

A succeeded pledge whose donor phone has no matched pledge on that campaign yet is matched
by ``min(amount, max_per_pledge) × factor``, then capped by what is left of
``max_per_project`` on that campaign and of the fund's ``budget``, in whole francs
rounded down. Pure arithmetic: the service (services.pledge_paid) reads the fund's
figures under its row lock and writes the match.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal


def match_amount(
    *,
    amount: int,
    factor: Decimal,
    max_per_pledge: int,
    left_on_project: int,
    left_in_budget: int,
) -> int:
    """The match of one pledge, in whole francs (0: nothing to match)."""
    base = Decimal(min(amount, max_per_pledge)) * Decimal(factor)
    matched = int(base.to_integral_value(rounding=ROUND_FLOOR))
    return max(0, min(matched, left_on_project, left_in_budget))


def split_commission(total: int, percent: Decimal) -> tuple[int, int]:
    """``(commission, net)`` of a succeeded campaign's money: the commission rounded down
    (the organisation keeps the odd franc)."""
    commission = int(
        (Decimal(total) * Decimal(percent) / 100).to_integral_value(rounding=ROUND_FLOOR)
    )
    return commission, total - commission
