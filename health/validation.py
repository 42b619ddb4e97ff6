"""Checks on values from outside, shared by the health services (bounded, NUL-free)."""

from __future__ import annotations

import datetime

import pycountry
from django.utils.translation import gettext_lazy as _

from core import dates
from core.errors import ValidationFailed
from core.money import format_xof
from health.errors import Code

MAX_AMOUNT = 1_000_000_000  # one billion francs: beyond it, a typing mistake


def clean_text(value, *, field: str, max_length: int, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if "\x00" in text:
        raise ValidationFailed(
            _("Caractère interdit dans le texte."), code=Code.INVALID_TEXT, field=field
        )
    if len(text) > max_length:
        raise ValidationFailed(
            _("Texte trop long (%(n)s caractères au plus).") % {"n": max_length},
            code=Code.TOO_LONG,
            field=field,
        )
    if required and not text:
        raise ValidationFailed(_("Ce champ est obligatoire."), code=Code.REQUIRED, field=field)
    return text


def clean_amount(value, *, field: str, minimum: int = 1, maximum: int = MAX_AMOUNT) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(
            _("Indiquez un nombre entier de francs CFA."), code=Code.INVALID_AMOUNT, field=field
        )
    if value < minimum:
        message = (
            _("Le montant doit être positif.")
            if minimum > 0
            else _("Le montant ne peut pas être négatif.")
        )
        raise ValidationFailed(message, code=Code.INVALID_AMOUNT, field=field)
    if value > maximum:
        raise ValidationFailed(
            _("Montant trop élevé (%(max)s au plus).") % {"max": format_xof(maximum)},
            code=Code.AMOUNT_TOO_LARGE,
            field=field,
        )
    return value


def clean_count(value, *, field: str, maximum: int) -> int:
    return clean_amount(value, field=field, minimum=0, maximum=maximum)


def check_event_date(value, *, field: str, today: datetime.date | None = None) -> datetime.date:
    """A date of money or of an event: not in the future, not before 1900."""
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise ValidationFailed(_("Date invalide."), code=Code.INVALID_DATE, field=field)
    today = today or dates.today()
    if value > today or value.year < 1900:
        raise ValidationFailed(
            _("La date doit être comprise entre 1900 et aujourd'hui."),
            code=Code.DATE_OUT_OF_RANGE,
            field=field,
        )
    return value


def clean_country(value) -> str:
    code = clean_text(value, field="country", max_length=2, required=True).upper()
    if pycountry.countries.get(alpha_2=code) is None:
        raise ValidationFailed(
            _("Pays inconnu (code ISO à deux lettres, p. ex. SN, ML)."),
            code=Code.UNKNOWN_COUNTRY,
            field="country",
        )
    return code
