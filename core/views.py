"""Helpers of views: the JSON error translation for the few JSON views outside the API, and
the query parameters of pages (``?year=``, dates) parsed by the one date rule.

A ``NotFound`` or ``Forbidden`` escaping an HTML view becomes the 404 or 403 page by
``core.middleware.DomainErrorMiddleware``; errors a user can correct go on the form with
``core.forms.domain_errors_on`` (CONTRIBUTING.md, "Errors in views")."""

from __future__ import annotations

import functools

from django.contrib import messages

from core import dates
from core.errors import DomainError, ValidationFailed
from core.middleware import error_json


def domain_errors_as_json(view):
    """For the few JSON views outside ``/api/v1/`` (the till's queue): every
    ``DomainError`` becomes the API's ``{"code", "message", "field"}`` with its status,
    as ``config/api.py`` does for the API (the one translation, not a view's own)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return error_json(request, exc.status, exc.code, exc.message, exc.field)

    return wrapper


def query_year(request, *, default: int, name: str = "year") -> int:
    """``?year=`` for a page (core.dates rule): a bad value (``0``, ``99999``, text) shows
    a French message and the page uses ``default``, never a 500."""
    try:
        return dates.parse_year_param(request.GET.get(name), field=name) or default
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        return default


def query_date(request, name: str, *, default, event: bool = False):
    """``?as_of=`` (or ``?on=``...) for a page: a date between 1900 and 2100 (an event's,
    1900..today, when ``event``); a bad value shows a French message, ``default`` is used."""
    try:
        value = dates.parse_date_param(request.GET.get(name), field=name, planned=not event)
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        return default
    return default if value is None else value
