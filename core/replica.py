"""Reads from a PostgreSQL streaming replica (issue 23, point 5; docs/scale-out.md).

When ``DATABASE_REPLICA_URL`` is set, the database alias ``replica`` exists and
``READ_FROM_REPLICA`` is on. Then the GET and HEAD requests whose path matches one of
``REPLICA_READ_PATHS`` (the dashboards, the reports, the public portal and the exports)
read from the replica, with three guards so that nobody reads stale data after their own
write:

- every write goes to the primary (``default``), and once a request has written, its
  later reads stay on the primary;
- a read inside a transaction of the primary stays on the primary;
- after a request that may write (POST, PUT, PATCH, DELETE) the browser carries, for
  ``REPLICA_PIN_SECONDS`` (10), a cookie that keeps its next requests on the primary (the
  replica's lag is well under that; an altered cookie can only force primary reads).

Everything else reads and writes the primary, as when no replica is configured.
"""

from __future__ import annotations

import contextvars
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "sunucoop_primary"

_reads = contextvars.ContextVar("replica_reads", default=False)
_wrote = contextvars.ContextVar("replica_wrote", default=False)


def enabled() -> bool:
    return bool(getattr(settings, "READ_FROM_REPLICA", False)) and REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within the block, reads go to the replica until the first write."""
    reads, wrote = _reads.set(True), _wrote.set(False)
    try:
        yield
    finally:
        _wrote.reset(wrote)
        _reads.reset(reads)


class PrimaryReplicaRouter:
    """Writes and migrations: the primary. Reads: the replica only inside
    :func:`replica_reads`, before any write and outside a transaction of the primary."""

    def db_for_read(self, model, **hints) -> str:
        if (
            _reads.get()
            and not _wrote.get()
            and enabled()
            and not connections[PRIMARY].in_atomic_block
        ):
            return REPLICA
        # explicitly the primary, so that an object read from the replica does not pull
        # its related objects (or its own save) to the replica
        return PRIMARY

    def db_for_write(self, model, **hints) -> str:
        if _reads.get():
            _wrote.set(True)  # reads that follow a write stay on the primary
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # one database, two servers

    def allow_migrate(self, db, app_label, **hints) -> bool:
        return db == PRIMARY


@cache
def _patterns(paths: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in paths) or r"(?!)")


def _reads_replica(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or not enabled():
        return False
    pinned = request.COOKIES.get(PIN_COOKIE, "")[:20]  # a cookie is outside input
    if pinned.isascii() and pinned.isdigit() and int(pinned) > time.time():
        return False
    paths = tuple(getattr(settings, "REPLICA_READ_PATHS", ()))
    return bool(_patterns(paths).match(request.path_info))


class ReplicaReadsMiddleware:
    """Wraps the read-only surfaces in :func:`replica_reads` and pins a browser to the
    primary for a few seconds after a request that may have written."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _reads_replica(request):
            with replica_reads():
                return self.get_response(request)
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS") and enabled():
            seconds = int(getattr(settings, "REPLICA_PIN_SECONDS", 10))
            response.set_cookie(
                PIN_COOKIE,
                str(int(time.time()) + seconds),
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
