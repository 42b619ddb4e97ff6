"""Input checks the consulting services share (French messages, a code, a field)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from consulting.errors import Code
from core.errors import ValidationFailed

LANGUAGES = ("fr", "en", "pt", "ar", "wo", "bm", "ff", "sw", "ha", "mos", "dyu")


def text(value, *, field: str, most: int, required: bool = True) -> str:
    if value is not None and not isinstance(value, str):
        raise ValidationFailed(_("Texte attendu."), code=Code.INVALID, field=field)
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationFailed(_("Caractère interdit."), code=Code.INVALID, field=field)
    if required and not value:
        raise ValidationFailed(_("Ce champ est obligatoire."), code=Code.REQUIRED, field=field)
    if len(value) > most:
        raise ValidationFailed(
            _("%(most)s caractères au plus.") % {"most": most}, code=Code.TOO_LONG, field=field
        )
    return value


def whole(value, *, field: str, least: int = 1, most: int | None = None) -> int:
    """A whole number of francs (or days) from ``least`` to ``most``; text, decimals and
    booleans refused."""
    most = settings.CONSULTING_AMOUNT_MAX if most is None else most
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(
            _("Un nombre entier est attendu."), code=Code.INVALID_AMOUNT, field=field
        )
    if not least <= value <= most:
        raise ValidationFailed(
            _("La valeur doit être comprise entre %(least)s et %(most)s.")
            % {"least": least, "most": most},
            code=Code.OUT_OF_RANGE,
            field=field,
        )
    return value


def code_list(values, *, field: str, allowed, most: int) -> list[str]:
    if isinstance(values, str):
        values = [v for v in values.replace(";", ",").split(",")]
    if not isinstance(values, (list, tuple)):
        raise ValidationFailed(_("Une liste est attendue."), code=Code.INVALID, field=field)
    clean = []
    for value in values:
        value = str(value or "").strip()
        value = value.upper() if field == "countries" else value.lower()
        if not value:
            continue
        if not allowed(value):
            raise ValidationFailed(
                _("Valeur inconnue : %(value)s.") % {"value": value[:20]},
                code=Code.INVALID_CHOICE,
                field=field,
            )
        if value not in clean:
            clean.append(value)
    if not 1 <= len(clean) <= most:
        raise ValidationFailed(
            _("Entre 1 et %(most)s valeurs.") % {"most": most}, code=Code.INVALID, field=field
        )
    return clean


def skill_list(values) -> list[str]:
    if isinstance(values, str):
        values = values.replace(";", ",").split(",")
    if not isinstance(values, (list, tuple)):
        raise ValidationFailed(_("Une liste est attendue."), code=Code.INVALID, field="skills")
    clean = []
    for value in values:
        value = text(value if isinstance(value, str) else str(value), field="skills", most=60,
                     required=False)  # fmt: skip
        if value and value.lower() not in [c.lower() for c in clean]:
            clean.append(value)
    if not 1 <= len(clean) <= 10:
        raise ValidationFailed(_("Entre 1 et 10 compétences."), code=Code.INVALID, field="skills")
    return clean


def provider(value, *, field: str = "payout_provider") -> str:
    value = str(value or "").strip()
    if value not in settings.PAYMENT_PROVIDERS:
        raise ValidationFailed(_("Opérateur inconnu."), code=Code.INVALID_CHOICE, field=field)
    return value
