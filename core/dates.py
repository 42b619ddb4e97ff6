"""The one date rule (issue 14, docs/input-limits.md).

Dates of money and of events (a repayment, an application, an approval, a disbursement,
a stage change, a visit, an attendance, a share operation, a journal entry, a founding,
a birth, ...) happened: they are refused when they lie in the future (beyond today in
the server's time zone, ``TIME_ZONE``) or before 1900, with the stable code
``date_out_of_range`` and the field. Planned dates (an assembly's ``held_on``, due dates,
a campaign's ``closes_on``) keep their own rules but stay within
:data:`PLANNED_MAX` so that date arithmetic never overflows.

Query parameters (``?year=``, ``?as_of=``, ``?from=``/``?to=``) are parsed here too:
a bad value is a ``ValidationFailed`` (400 in the API, a French message or the default
in a page), never a 500.

Services call :func:`check_event_date` before writing (the final guard: the API, the
forms, the imports, the sync and the commands all go through them); forms add
:func:`validate_event_date` to their date fields so the message shows on the field.
"""

from __future__ import annotations

import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from core.errors import Code, ValidationFailed

EARLIEST = datetime.date(1900, 1, 1)
PLANNED_MAX = datetime.date(2100, 12, 31)
DATE_OUT_OF_RANGE = "date_out_of_range"


def today() -> datetime.date:
    """Today in the server's time zone (``settings.TIME_ZONE``, Africa/Dakar)."""
    return timezone.localdate()


def _as_date(value) -> datetime.date | None:
    """A date from a date, a datetime or an ISO text; ``None`` for anything else (the
    caller's own parser reports a malformed value)."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def event_date_error(value, *, field: str | None, latest: datetime.date | None = None):
    """The ``ValidationFailed`` for an event date outside 1900..today (or ``None``)."""
    day = _as_date(value)
    if day is None:
        return None
    latest = latest or today()
    if EARLIEST <= day <= latest:
        return None
    if day > latest:
        message = _("Date impossible : le %(day)s est dans le futur (au plus tard le %(max)s).")
    else:
        message = _("Date impossible : le %(day)s est antérieur au %(min)s.")
    message = message % {
        "day": day.strftime("%d/%m/%Y") if day.year >= 1000 else day.isoformat(),
        "max": latest.strftime("%d/%m/%Y"),
        "min": EARLIEST.strftime("%d/%m/%Y"),
    }
    return ValidationFailed(message, code=DATE_OUT_OF_RANGE, field=field)


def check_event_date(value, *, field: str | None, today: datetime.date | None = None):
    """Return ``value`` when it lies between 01/01/1900 and today; else raise 400
    ``date_out_of_range`` naming ``field``. ``None`` passes (required-ness is the
    caller's rule); ``today`` is a parameter so that tests and reports can pin it."""
    error = event_date_error(value, field=field, latest=today)
    if error is not None:
        raise error
    return value


def check_event_date_given(value, *, field: str | None, today: datetime.date | None = None):
    """:func:`check_event_date` for a date that must be given (400 ``required`` if not)."""
    if value is None:
        raise ValidationFailed(_("La date est obligatoire."), code=Code.REQUIRED, field=field)
    return check_event_date(value, field=field, today=today)


def check_planned_date(value, *, field: str | None):
    """A planned date (an assembly, a due date, a closing): between 1900 and 2100."""
    day = _as_date(value)
    if day is None or EARLIEST <= day <= PLANNED_MAX:
        return value
    message = _("Date impossible : le %(day)s n'est pas entre le %(min)s et le %(max)s.") % {
        "day": day.isoformat(),
        "min": EARLIEST.strftime("%d/%m/%Y"),
        "max": PLANNED_MAX.strftime("%d/%m/%Y"),
    }
    raise ValidationFailed(message, code=DATE_OUT_OF_RANGE, field=field)


def validate_event_date(value) -> None:
    """A Django validator for form fields: the same rule, as a form error."""
    error = event_date_error(value, field=None)
    if error is not None:
        raise ValidationError(str(error.message), code=DATE_OUT_OF_RANGE)


def validate_planned_date(value) -> None:
    try:
        check_planned_date(value, field=None)
    except ValidationFailed as exc:
        raise ValidationError(str(exc.message), code=DATE_OUT_OF_RANGE) from None


# --------------------------------------------------------------------------- query parameters


def parse_date_param(raw, *, field: str, planned: bool = False) -> datetime.date | None:
    """``?as_of=2026-05-31`` -> a date (``None`` when absent or blank). A value that is
    not a date, or lies outside 1900..today (1900..2100 when ``planned``), raises 400."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime.date):
        day = _as_date(raw)
    else:
        try:
            day = datetime.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise ValidationFailed(
                _("Date invalide (AAAA-MM-JJ attendu)."), code=Code.INVALID_DATE, field=field
            ) from None
    if planned:
        return check_planned_date(day, field=field)
    return check_event_date(day, field=field)


def year_bounds() -> tuple[int, int]:
    """The years a report may ask for: 1900 up to the last year a planned date may fall in."""
    return EARLIEST.year, PLANNED_MAX.year


def parse_year_param(raw, *, field: str | None = "year") -> int | None:
    """``?year=2026`` -> 2026 (``None`` when absent or blank); 0, 99999 or text -> 400."""
    if raw is None or raw == "":
        return None
    low, high = year_bounds()
    try:
        year = int(str(raw).strip())
    except ValueError:
        year = None
    if year is None or not low <= year <= high:
        raise ValidationFailed(
            _("Année invalide : attendu un nombre entre %(min)s et %(max)s.")
            % {"min": low, "max": high},
            code=DATE_OUT_OF_RANGE if year is not None else "invalid",
            field=field,
        )
    return year


# --------------------------------------------------------------------------- API types


def _pydantic(check):
    """Wrap a rule for pydantic: its ``ValidationFailed`` becomes a custom error whose type
    is our stable code (config/api.py answers it as ``{"code", "message", "field"}``)."""

    def validate(value):
        try:
            check(value)
        except ValidationFailed as exc:
            raise PydanticCustomError(exc.code, str(exc.message)) from None
        return value

    return AfterValidator(validate)


# An event's date in an API schema: 1900..today (the services check it again).
EventDate = Annotated[datetime.date, _pydantic(lambda v: check_event_date(v, field=None))]
# A query's date (?as_of=, ?from=, ?to=) or a planned date: 1900..2100.
QueryDate = Annotated[datetime.date, _pydantic(lambda v: check_planned_date(v, field=None))]
PlannedDate = QueryDate
# A report's year (?year=): 1900..2100.
Year = Annotated[int, _pydantic(lambda v: parse_year_param(v, field=None))]
