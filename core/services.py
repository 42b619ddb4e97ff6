"""The shape every write takes: keyword-only, atomic, with its actor recorded."""

from __future__ import annotations

import functools

from django.db import transaction

from core.audit import acting_as


def service(func):
    """Run a service function in one transaction, with ``actor`` as the history user."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with transaction.atomic(), acting_as(kwargs.get("actor")):
            return func(*args, **kwargs)

    return wrapper
