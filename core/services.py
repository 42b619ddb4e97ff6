"""The shape every write takes: keyword-only, atomic, with its actor recorded."""

from __future__ import annotations

import functools

from django.db import transaction

from core.audit import acting_as
from core.limits import check_arguments


def service(func):
    """Run a service function in one transaction, with ``actor`` as the history user.

    Before anything runs, its keyword arguments are checked (``core.limits``): a text
    holding a NUL character or an integer beyond 64 bits is refused with a 400 naming
    the argument, whatever path (API, form, import, sync, command) called the service.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        check_arguments(kwargs)
        with transaction.atomic(), acting_as(kwargs.get("actor")):
            return func(*args, **kwargs)

    return wrapper
