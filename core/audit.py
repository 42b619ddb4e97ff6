"""Who did it: the acting user of the current service call, for the history tables.

django-simple-history takes the user from the request (its middleware); services that
run outside a request (commands, imports, tasks) name their actor with :func:`acting_as`.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

_actor: ContextVar = ContextVar("sunucoop_actor", default=None)


@contextlib.contextmanager
def acting_as(actor):
    token = _actor.set(actor if getattr(actor, "pk", None) else None)
    try:
        yield
    finally:
        _actor.reset(token)


def history_user(instance=None, request=None, **kwargs):
    """``HistoricalRecords(get_user=history_user)``: the service's actor, else the request's."""
    actor = _actor.get()
    if actor is not None:
        return actor
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None
