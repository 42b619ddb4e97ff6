"""Domain errors escaping an HTML view become the right error page."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404

from core import dates
from core.errors import Forbidden, NotFound, ValidationFailed


def domain_errors_as_pages(view):
    """``NotFound`` -> the 404 page (out of scope looks missing), ``Forbidden`` -> 403.

    ``core.middleware.DomainErrorMiddleware`` does the same for every view: new views do
    not need this decorator (CONTRIBUTING.md, "Errors in views"). Errors a user can
    correct (``ValidationFailed``, ``Conflict``) belong on the form:
    ``with core.forms.domain_errors_on(form): ...``.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        except Forbidden as exc:
            raise PermissionDenied(str(exc.message)) from exc

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
