"""The id of the request being served: set by ``core.middleware.ErrorContractMiddleware``,
sent back in the ``X-Request-ID`` header, written on every log line (this filter, wired in
``settings.LOGGING``) and shown on the 500 answers, so that a user's report finds its log.

Kept free of Django imports: the logging configuration loads it before the apps.
"""

from __future__ import annotations

import contextvars
import logging

HEADER = "X-Request-ID"
current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` (the request being served, or ``-``) to every record."""

    def filter(self, record):
        record.request_id = current.get()
        return True


def of(request) -> str:
    return getattr(request, "request_id", "") or current.get()
