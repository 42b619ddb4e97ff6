"""XOF amounts: whole francs, stored as integers, never floats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u202f"  # narrow no-break space, the French thousands separator


def format_xof(amount: int | None, *, currency: bool = True) -> str:
    """``1250000`` -> ``"1 250 000 F CFA"`` (narrow no-break spaces)."""
    if amount is None:
        return "—"
    sign = "-" if amount < 0 else ""
    digits = f"{abs(int(amount)):,}".replace(",", NBSP)
    return f"{sign}{digits}{NBSP}F{NBSP}CFA" if currency else f"{sign}{digits}"


def round_xof(value: Decimal) -> int:
    """Round a Decimal amount to whole francs, half away from zero."""
    return int(Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def format_percent(ratio: Decimal | float | None, digits: int = 1) -> str:
    if ratio is None:
        return "—"
    value = Decimal(str(ratio)) * 100
    text = f"{value:.{digits}f}".replace(".", ",")
    return f"{text}{NBSP}%"
