"""Writing many rows at once: IN lists by chunks, and the history rows of a bulk insert.

Used by the bulk paths of the apps (the registry's members import, the payments
statement's lines, the bench's synthetic data) where a row-by-row write through ``save()``
and simple_history would take minutes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal

from django.conf import settings
from django.db import connection, models
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone

CHUNK = 5000  # values in one IN list: below every database's parameter limit


def chunks(values: list, size: int = CHUNK):
    """``values`` in slices of ``size`` (a file may hold more rows than a query may take)."""
    for i in range(0, len(values), size):
        yield values[i : i + size]


def by_values(qs, field: str, values: Sequence) -> Iterator:
    """``qs`` filtered on ``field`` being one of ``values``, as querysets to read in turn:
    on PostgreSQL one query with the values as one array parameter (``= ANY(%s)``: one
    index or hash pass, whatever the count); elsewhere ``field__in`` by chunks."""
    values = list(values)
    if not values:
        return
    if connection.vendor == "postgresql":
        meta, quote = qs.model._meta, connection.ops.quote_name
        column = f"{quote(meta.db_table)}.{quote(meta.get_field(field).column)}"
        condition = f"{column} = ANY(%s)"  # names from the model's meta, quoted
        yield qs.filter(RawSQL(condition, (values,), output_field=BooleanField()))  # noqa: S611
        return
    for chunk in chunks(values):
        yield qs.filter(**{f"{field}__in": chunk})


def _adapter(field: models.Field) -> Callable | None:
    if isinstance(field, models.JSONField):
        return lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
    if connection.vendor == "postgresql":
        return None  # psycopg adapts dates, datetimes, decimals and booleans itself
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return lambda v: None if v is None else v.isoformat()
    if isinstance(field, models.DecimalField):
        return lambda v: None if v is None else str(Decimal(v))
    return None


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert plain tuples (values in the order of ``fields``, names or attnames) into
    ``model``'s table: COPY on PostgreSQL, ``executemany`` by chunks elsewhere; returns how
    many. Columns not named get the model's default (``auto_now(_add)``: now), as
    ``objects.create`` would give them. No ``save()``, no signals, no history rows, no ids
    returned: for bulk paths that record their own trail (e.g. the statement's import row).
    """
    meta = model._meta
    objs = [meta.get_field(name) for name in fields]
    named = {f.attname for f in objs}
    defaults = []
    for f in meta.concrete_fields:
        if f.attname in named or f.primary_key:
            continue
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
            defaults.append((f, timezone.now()))
        elif f.has_default() or not f.null:
            defaults.append((f, f.get_default()))
    objs += [f for f, _v in defaults]
    tail = tuple(v for _f, v in defaults)
    adapters = [(i, a) for i, a in ((i, _adapter(f)) for i, f in enumerate(objs)) if a]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in objs)

    def adapted(row: tuple) -> tuple:
        if tail:
            row = (*row, *tail)
        if not adapters:
            return row
        row = list(row)
        for i, adapt in adapters:
            row[i] = adapt(row[i])
        return tuple(row)

    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {table} ({columns}) FROM STDIN"  # noqa: S608 (names from metadata)
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(adapted(row))
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(objs))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
        batch: list[tuple] = []
        for row in rows:
            batch.append(adapted(row))
            if len(batch) >= CHUNK:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


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
