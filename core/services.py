"""The shape every write takes: keyword-only, atomic, with its actor recorded."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import acting_as
from core.dates import check_event_date, check_planned_date
from core.errors import ValidationFailed
from core.limits import check_arguments, check_field_value, check_values
from core.money import check_amount


def service(func=None, *, texts=(), event_dates=(), planned_dates=(), amounts=(), atomic=True):
    """Run a service function in one transaction, with ``actor`` as the history user.

    Before anything runs, its keyword arguments are checked (docs/input-limits.md), so
    that every path (API, form, import, sync, command) meets the same guard:

    - always: a text holding a NUL character or an integer beyond 64 bits is refused
      (``core.limits.check_arguments``);
    - ``texts=(Model, ...)``: each argument named after a field of ``Model`` fits its
      column (``too_long``, ``out_of_range``); ``(Model, {"reason": "note"})`` checks the
      argument ``reason`` against the field ``note``;
    - ``event_dates=("paid_on", ...)``: the one date rule, 1900..today
      (``core.dates.check_event_date``; ``today=`` when the service takes one);
    - ``planned_dates=(...)``: 1900..2100; ``amounts=(...)``: 0..``core.money.MAX_AMOUNT``.

    A name may be given as ``("on", "date")``: the argument ``on`` reported as the field
    ``date`` (the API's name for it).

    ``atomic=False``: the same guard and actor, but no transaction around the call, for a
    service that calls a provider over HTTP between its own short transactions (payments:
    a transaction must not stay open while a provider answers).
    """
    if func is None:
        return functools.partial(
            service,
            texts=texts,
            event_dates=event_dates,
            planned_dates=planned_dates,
            amounts=amounts,
            atomic=atomic,
        )

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        check_arguments(kwargs)
        for model in texts:
            _check_texts(model, kwargs)
        for name, field in _names(event_dates):
            check_event_date(kwargs.get(name), field=field, today=kwargs.get("today"))
        for name, field in _names(planned_dates):
            check_planned_date(kwargs.get(name), field=field)
        for name, field in _names(amounts):
            check_amount(kwargs.get(name), field=field)
        if not atomic:
            with acting_as(kwargs.get("actor")):
                return func(*args, **kwargs)
        with transaction.atomic(), acting_as(kwargs.get("actor")):
            return func(*args, **kwargs)

    return wrapper


def _check_texts(model, kwargs) -> None:
    if isinstance(model, tuple):  # (Model, {"argument": "model_field"})
        model, renamed = model
        for name, field_name in renamed.items():
            if name in kwargs:
                check_field_value(model._meta.get_field(field_name), kwargs[name], name=name)
        return
    check_values(model, kwargs)


def _names(spec) -> list[tuple[str, str]]:
    return [(n, n) if isinstance(n, str) else tuple(n) for n in spec]


def fields_check(
    names: Iterable[str], *, allowed: Iterable[str], message=None, code: str = "not_editable"
) -> None:
    """Refuse a name outside ``allowed`` (:func:`model_update`'s check, for a service that
    has work to do between the check and the update)."""
    unknown = sorted(set(names) - set(allowed))
    if unknown:
        text = message if message is not None else _("Champ non modifiable : %(field)s.")
        raise ValidationFailed(
            text % {"field": unknown[0], "fields": ", ".join(unknown)},
            code=code,
            field=unknown[0],
        )


def model_update(
    instance,
    changes: Mapping,
    *,
    allowed: Iterable[str],
    cleaners: Mapping[str, Callable] | None = None,
    message=None,
    code: str = "not_editable",
) -> list[str]:
    """Set ``changes`` on ``instance`` (unsaved), each field the service lets a person
    change (its whitelist ``allowed``), each value through its cleaner when ``cleaners``
    has one. A name outside ``allowed`` is refused before anything is set: 400 ``code``
    on the first such field (alphabetically), ``message`` formatted with ``%(field)s``
    (that field) and ``%(fields)s`` (all of them). Returns the names set, for
    ``save(update_fields=...)``. As HackSoft's styleguide ``model_update``: the one
    place where a service's update whitelist is applied."""
    fields_check(changes, allowed=allowed, message=message, code=code)
    cleaners = cleaners or {}
    for name, value in changes.items():
        setattr(instance, name, cleaners[name](value) if name in cleaners else value)
    return list(changes)
