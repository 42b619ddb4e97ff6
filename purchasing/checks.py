"""Checks of values from outside (texts, whole numbers, dates), with French messages."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from core import dates
from core.errors import ValidationFailed
from purchasing.errors import Code

MAX_QUANTITY = 10_000_000  # units of a product in one line
MAX_PRICE = 100_000_000  # F CFA per unit
MAX_PACK = 1_000_000
EARLIEST = datetime.date(1900, 1, 1)


def text(value, *, field: str, max_length: int, required: bool = False) -> str:
    value = "" if value is None else str(value)
    if "\x00" in value:
        raise ValidationFailed(_("Caractère nul interdit."), code=Code.INVALID_TEXT, field=field)
    value = value.strip()
    if required and not value:
        raise ValidationFailed(_("Ce champ est obligatoire."), code=Code.REQUIRED, field=field)
    if len(value) > max_length:
        raise ValidationFailed(
            _("Texte trop long (%(n)s caractères au plus).") % {"n": max_length},
            code=Code.TOO_LONG,
            field=field,
        )
    return value


def whole(value, *, field: str, low: int, high: int, message=None) -> int:
    """An integer in [low, high] (booleans and fractions refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(_("Nombre entier attendu."), code=Code.NOT_INTEGER, field=field)
    if not low <= value <= high:
        raise ValidationFailed(
            message or _("Valeur hors limites (%(low)s à %(high)s).") % {"low": low, "high": high},
            code=Code.OUT_OF_RANGE,
            field=field,
        )
    return value


def event_date(on, *, field: str = "on", today: datetime.date | None = None) -> datetime.date:
    """A date of money or of an event: not in the future, not before 1900."""
    if not isinstance(on, datetime.date):
        raise ValidationFailed(_("Date invalide."), code=Code.INVALID_DATE, field=field)
    today = today or dates.today()
    if on > today or on < EARLIEST:
        raise ValidationFailed(
            _("La date doit être comprise entre le 01/01/1900 et aujourd'hui."),
            code=Code.DATE_OUT_OF_RANGE,
            field=field,
        )
    return on


def plan_date(on, *, field: str) -> datetime.date:
    """A planned date (a campaign's opening or closing): from 1900 to 2100."""
    if not isinstance(on, datetime.date):
        raise ValidationFailed(_("Date invalide."), code=Code.INVALID_DATE, field=field)
    if not EARLIEST <= on <= datetime.date(2100, 12, 31):
        raise ValidationFailed(
            _("La date doit être comprise entre 1900 et 2100."),
            code=Code.DATE_OUT_OF_RANGE,
            field=field,
        )
    return on
