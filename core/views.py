"""Domain errors escaping an HTML view become the right error page."""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.errors import Forbidden, NotFound


def domain_errors_as_pages(view):
    """``NotFound`` -> the 404 page (out of scope looks missing), ``Forbidden`` -> 403.

    Errors a user can correct (``ValidationFailed``, ``Conflict``) belong on the form:
    views catch them and call :func:`core.forms.apply_domain_error`.
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
