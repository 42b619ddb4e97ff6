"""Domain errors escaping any HTML view become the French 404 or 403 page.

The API handles its own errors (config/api.py); this covers every other view, so that
an out-of-scope object always looks missing, without each view repeating the mapping
(``core.views.domain_errors_as_pages`` does the same for one view).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.errors import Forbidden, NotFound


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(str(exception.message)) from exception
        if isinstance(exception, Forbidden):
            raise PermissionDenied(str(exception.message)) from exception
        return None
