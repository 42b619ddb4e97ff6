"""The registry's input cleaners: a raw value (form, API, file cell) in, a clean value out,
or a :class:`core.errors.ValidationFailed` (``Conflict`` for a taken registration number)
with a stable code and the field it concerns.

Used by the services (:mod:`registry.services`) and by the imports (:mod:`registry.imports`),
so that a file's cell and a form's field meet the same rule. Foreign keys may be given as
objects or as their natural key: ``commune`` as an area code, ``sector`` as a sector code,
``sponsor`` as a partner name.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from core import dates
from core.errors import Conflict, ValidationFailed
from geo.models import Area, AreaLevel
from registry.errors import Code
from registry.models import Cooperative, Partner, Sector


def required_text(value, field: str, label: str, max_length: int) -> str:
    """Spaces collapsed; refused when empty or longer than ``max_length``."""
    value = " ".join(str(value or "").split())
    if not value:
        raise ValidationFailed(
            _("%(label)s est obligatoire.") % {"label": label}, code=Code.REQUIRED, field=field
        )
    if len(value) > max_length:
        raise ValidationFailed(
            _("%(label)s : %(max)s caractères au plus.") % {"label": label, "max": max_length},
            code=Code.TOO_LONG,
            field=field,
        )
    return value


def short_text(value, max_length: int = 255) -> str:
    """An optional free text: spaces collapsed, cut at ``max_length``."""
    return " ".join(str(value or "").split())[:max_length]


def choice(value, choices, field: str, label: str, *, blank: bool = False) -> str:
    value = "" if value is None else str(value).strip()
    if blank and value == "":
        return ""
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise ValidationFailed(
            _("%(label)s invalide : « %(value)s » (valeurs possibles : %(allowed)s).")
            % {"label": label, "value": value, "allowed": allowed},
            code=Code.INVALID_CHOICE,
            field=field,
        )
    return value


def date(value, field: str, label: str, *, required: bool = True) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise ValidationFailed(
                _("%(label)s est obligatoire.") % {"label": label}, code=Code.REQUIRED, field=field
            )
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationFailed(
            _("%(label)s : date invalide (AAAA-MM-JJ attendu).") % {"label": label},
            code=Code.INVALID_DATE,
            field=field,
        ) from None


def birth_date(value) -> datetime.date | None:
    d = date(value, "birth_date", _("La date de naissance"), required=False)
    if d is not None and (d > dates.today() or d.year < 1900):
        raise ValidationFailed(
            _("Date de naissance impossible."), code=Code.INVALID_BIRTH_DATE, field="birth_date"
        )
    return d


def commune(value, *, required: bool = True) -> Area | None:
    if value in (None, ""):
        if required:
            raise ValidationFailed(
                _("La commune est obligatoire."), code=Code.REQUIRED, field="commune"
            )
        return None
    area = value
    if not isinstance(value, Area):
        area = Area.objects.filter(code=str(value).strip()).first()
        if area is None:
            raise ValidationFailed(
                _("Commune inconnue : %(code)s.") % {"code": value},
                code=Code.UNKNOWN_COMMUNE,
                field="commune",
            )
    if area.level != AreaLevel.COMMUNE:
        raise ValidationFailed(
            _("« %(area)s » n'est pas une commune.") % {"area": area},
            code=Code.NOT_A_COMMUNE,
            field="commune",
        )
    return area


def sector(value) -> Sector:
    if value in (None, ""):
        raise ValidationFailed(_("Le secteur est obligatoire."), code=Code.REQUIRED, field="sector")
    if isinstance(value, Sector):
        return value
    found = Sector.objects.filter(code=str(value).strip()).first()
    if found is None:
        raise ValidationFailed(
            _("Secteur inconnu : %(code)s.") % {"code": value},
            code=Code.UNKNOWN_SECTOR,
            field="sector",
        )
    return found


def sponsor(value) -> Partner | None:
    if value in (None, ""):
        return None
    if isinstance(value, Partner):
        return value
    partner = Partner.objects.filter(name=str(value).strip()).first()
    if partner is None:
        raise ValidationFailed(
            _("Partenaire inconnu : %(name)s.") % {"name": value},
            code=Code.UNKNOWN_PARTNER,
            field="sponsor",
        )
    return partner


def normalize_phone(raw, *, field: str = "phone") -> str:
    """E.164 through ``phonenumbers`` (region SN by default); "" stays ""."""
    raw = str(raw or "").strip()
    if not raw:
        return ""
    region = settings.SUNUCOOP.get("DEFAULT_PHONE_REGION", "SN")
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationFailed(
            _("Numéro de téléphone invalide : « %(raw)s ».") % {"raw": raw},
            code=Code.INVALID_PHONE,
            field=field,
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


NATIONAL_ID_SEPARATORS = re.compile(r"[\s.\-/]")
NATIONAL_ID_SHAPE = re.compile(r"^[0-9A-Z]{5,20}$")


def normalize_national_id(raw) -> str | None:
    """Loose check (docs/registry.md: the CNI CEDEAO format is not confirmed).

    Spaces, dots, dashes and slashes are dropped, letters upper-cased; what remains must
    be 5 to 20 letters or digits. No checksum, no length of 13 imposed.
    """
    if raw in (None, ""):
        return None
    value = NATIONAL_ID_SEPARATORS.sub("", str(raw)).upper()
    if not value:
        return None
    if not NATIONAL_ID_SHAPE.match(value):
        raise ValidationFailed(
            _("Numéro de CNI invalide : 5 à 20 chiffres ou lettres attendus."),
            code=Code.INVALID_NATIONAL_ID,
            field="national_id",
        )
    return value


def coordinate(value, field: str, limit: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", ".").strip()).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise ValidationFailed(
            _("Coordonnée invalide."), code=Code.INVALID_COORDINATE, field=field
        ) from None
    if not -limit <= number <= limit:
        raise ValidationFailed(
            _("Coordonnée hors limites (±%(limit)s).") % {"limit": limit},
            code=Code.INVALID_COORDINATE,
            field=field,
        )
    return number


def latitude(value) -> Decimal | None:
    return coordinate(value, "latitude", 90)


def longitude(value) -> Decimal | None:
    return coordinate(value, "longitude", 180)


def amount(value, field: str) -> int:
    """A whole, non-negative number of francs (XOF has no decimals)."""
    if isinstance(value, int) and not isinstance(value, bool):
        pay = value
    else:
        text = str(value if value is not None else "0").replace(" ", "").replace("\u202f", "")
        if not text.isdigit():
            raise ValidationFailed(
                _("Montant invalide (nombre entier de F CFA)."),
                code=Code.INVALID_AMOUNT,
                field=field,
            )
        pay = int(text)
    if pay < 0:
        raise ValidationFailed(
            _("Le montant ne peut être négatif."), code=Code.INVALID_AMOUNT, field=field
        )
    return pay


def email(value) -> str:
    value = str(value or "").strip()
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValidationFailed(
                _("Adresse e-mail invalide."), code=Code.INVALID_EMAIL, field="email"
            ) from None
    return value


def registration_number(value, *, exclude_pk=None) -> str | None:
    """A registration number not held by another cooperative (``Conflict`` otherwise)."""
    value = " ".join(str(value or "").split()) or None
    if value:
        clash = Cooperative.objects.filter(registration_number=value)
        if exclude_pk:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            raise Conflict(
                _("Le numéro d'immatriculation %(number)s est déjà attribué.") % {"number": value},
                code=Code.DUPLICATE_REGISTRATION_NUMBER,
                field="registration_number",
            )
    return value
