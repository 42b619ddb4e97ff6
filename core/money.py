"""XOF amounts: whole francs, stored as integers, never floats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import Field

from core.errors import Code, ValidationFailed

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


# The largest amount a person may enter (a principal, a debit, a payment, a price): one
# thousand billion F CFA. Far above any cooperative's figures, and small enough that a
# sum of millions of them still fits a 64-bit column. Documented in docs/input-limits.md.
MAX_AMOUNT = 10**12


def check_amount(value, *, field: str | None, allow_negative: bool = False):
    """Refuse an amount above :data:`MAX_AMOUNT` (or below zero unless allowed): 400
    ``amount_out_of_range`` naming ``field``. ``None`` passes."""
    if value is None or isinstance(value, str):
        return value  # a text ("75 000") is parsed, and bounded, by the caller
    low = -MAX_AMOUNT if allow_negative else 0
    if isinstance(value, bool) or not low <= value <= MAX_AMOUNT:
        message = (
            _("Montant négatif refusé : indiquez un montant positif en francs CFA.")
            if not isinstance(value, bool) and value < low == 0
            else _("Montant hors limites : au plus %(max)s.") % {"max": format_xof(MAX_AMOUNT)}
        )
        raise ValidationFailed(message, code=Code.AMOUNT_OUT_OF_RANGE, field=field)
    return value


# An amount in an API schema: a whole number of francs, 0..MAX_AMOUNT (400 otherwise).
Amount = Annotated[int, Field(ge=0, le=MAX_AMOUNT)]
