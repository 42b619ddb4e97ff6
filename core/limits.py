"""Input limits checked before anything is written (issue 14, docs/input-limits.md).

Every text is limited to its column (``max_length``; :data:`TEXT_MAX` for a
``TextField``) and may not hold a NUL character; every integer fits its column (the
32- or 64-bit range the model field declares, the same on SQLite and PostgreSQL). A value
out of bounds is a ``ValidationFailed`` (400) naming the field, with the stable codes
``too_long``, ``invalid_character`` and ``out_of_range``: never a database error (500 on
PostgreSQL) and never a value stored on SQLite that an export could not give back.

Services call :func:`check_instance` (or :func:`check_values`) before they write; the
``@service`` decorator refuses a NUL or an over-64-bit integer in any keyword argument
(:func:`check_arguments`), and ``core.middleware.InputGuardMiddleware`` refuses NULs in
query strings, form data and JSON bodies before any view runs.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _

from core.errors import Code, ValidationFailed

TEXT_MAX = 10_000  # a TextField (notes, findings, agendas): at most this many characters
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
NUL = "\x00"

_RANGES = BaseDatabaseOperations.integer_field_ranges


def nul_error(field: str | None) -> ValidationFailed:
    return ValidationFailed(
        _("Caractère interdit (octet nul) dans le texte."), code=Code.INVALID_CHARACTER, field=field
    )


def check_text(value: str, *, field: str | None, max_length: int | None) -> str:
    """Refuse a NUL character, and more than ``max_length`` characters."""
    if NUL in value:
        raise nul_error(field)
    if max_length is not None and len(value) > max_length:
        raise ValidationFailed(
            _("Texte trop long : %(length)s caractères pour %(max)s au plus.")
            % {"length": len(value), "max": max_length},
            code=Code.TOO_LONG,
            field=field,
        )
    return value


def check_integer(value: int, *, field: str | None, low: int, high: int) -> int:
    if not low <= value <= high:
        raise ValidationFailed(
            _("Valeur hors limites : attendu un nombre entre %(min)s et %(max)s.")
            % {"min": low, "max": high},
            code=Code.OUT_OF_RANGE,
            field=field,
        )
    return value


def text_limit(field: models.Field) -> int | None:
    if isinstance(field, models.TextField):
        return field.max_length or TEXT_MAX
    return field.max_length


def integer_range(field: models.Field) -> tuple[int, int] | None:
    return _RANGES.get(field.get_internal_type())


def check_field_value(field: models.Field, value, *, name: str | None = None):
    """Check ``value`` against one model field's column (text length, NUL, integer range)."""
    name = name or field.name
    if isinstance(value, str):
        if isinstance(field, models.CharField | models.TextField):
            return check_text(value, field=name, max_length=text_limit(field))
        if NUL in value:
            raise nul_error(name)
    elif isinstance(value, int) and not isinstance(value, bool):
        bounds = integer_range(field)
        if bounds is not None:
            return check_integer(value, field=name, low=bounds[0], high=bounds[1])
    return value


def check_values(model: type[models.Model], values: dict, *, prefix: str = "") -> dict:
    """Check each ``name: value`` against ``model``'s field of that name (names that are
    not fields are left to the caller). The error's field is ``prefix + name``."""
    for name, value in values.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if getattr(field, "concrete", False) and not field.is_relation:
            check_field_value(field, value, name=prefix + name)
    return values


def check_instance(instance: models.Model, *, prefix: str = "", fields=None):
    """Check every concrete, non-relation field of ``instance`` (or only ``fields``)
    before it is saved; return the instance."""
    for field in instance._meta.concrete_fields:
        if field.is_relation or (fields is not None and field.name not in fields):
            continue
        value = getattr(instance, field.attname, None)
        if value is not None:
            check_field_value(field, value, name=prefix + field.name)
    return instance


def check_arguments(values: dict) -> None:
    """The ``@service`` decorator's guard over keyword arguments: no NUL in a text, no
    integer beyond 64 bits (at any depth of dicts and lists)."""
    for name, value in values.items():
        _check_argument(value, name)


def _check_argument(value, name: str, depth: int = 0) -> None:
    if isinstance(value, str):
        if NUL in value:
            raise nul_error(name)
    elif isinstance(value, int) and not isinstance(value, bool):
        check_integer(value, field=name, low=INT64_MIN, high=INT64_MAX)
    elif depth < 4 and isinstance(value, dict):
        for key, item in value.items():
            _check_argument(item, str(key), depth + 1)
    elif depth < 4 and isinstance(value, list | tuple):
        for item in value:
            _check_argument(item, name, depth + 1)
