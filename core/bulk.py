"""Writing many rows at once: IN lists by chunks, and the history rows of a bulk insert.

Used by the bulk paths of the apps (the registry's members import) where a row-by-row
write through ``save()`` and simple_history would take minutes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection

CHUNK = 5000  # values in one IN list: below every database's parameter limit


def chunks(values: list, size: int = CHUNK):
    """``values`` in slices of ``size`` (a file may hold more rows than a query may take)."""
    for i in range(0, len(values), size):
        yield values[i : i + size]


def history_copy_created(model, objs: list, *, user, on) -> None:
    """The "+" history rows of ``objs``, just bulk-created, as simple_history's
    ``bulk_create_with_history`` writes them (same fields; no change reason; ``user``, else
    the model's default history user; ``on`` as history date), but copied by the database
    in one ``INSERT ... SELECT`` (a statement per chunk of ids where arrays cannot be
    passed) instead of a history object built, prepared and sent by Python for every row."""
    if not objs or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    pks = [obj.pk for obj in objs]
    if None in pks:  # no ids returned by this database: let simple_history find them
        from simple_history.utils import bulk_create_with_history

        bulk_create_with_history(objs, model, default_user=user, default_date=on)
        return
    history = model.history.model
    if user is None:
        user = history.get_default_history_user(objs[0])
    prefix, order = _copy_statement(model, history)
    params = [
        history._meta.get_field("history_date").get_db_prep_value(on, connection),
        "+",
        getattr(user, "pk", None),
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one array parameter, whatever the count
            cursor.execute(prefix + "= ANY(%s)" + order, [*params, pks])
            return
        size = max(1, (connection.features.max_query_params or 999) - len(params))
        for chunk in chunks(pks, size):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(prefix + f"IN ({marks})" + order, [*params, *chunk])


def _copy_statement(model, history) -> tuple[str, str]:
    """``INSERT INTO <history> (...) SELECT ... FROM <table> WHERE <pk> `` and the ORDER BY;
    names from the models' meta, quoted; every value a parameter."""
    meta, quote = history._meta, connection.ops.quote_name
    tracked = [meta.get_field(f.name).column for f in history.tracked_fields]
    extra = [
        meta.get_field(name).column
        for name in ("history_date", "history_change_reason", "history_type", "history_user")
    ]
    into = f"INSERT INTO {quote(meta.db_table)} ({', '.join(map(quote, tracked + extra))}) "
    select = f"SELECT {', '.join(map(quote, tracked))}, %s, NULL, %s, %s "  # noqa: S608
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    return into + select + f"FROM {table} WHERE {pk} ", f" ORDER BY {pk}"
