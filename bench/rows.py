"""Fast row insertion for the synthetic data: tuples, not model instances.

``insert_rows(Model, ["id", "loan_id", ...], rows)`` writes plain tuples (values in the
order of the named fields or attnames): COPY on PostgreSQL, ``executemany`` elsewhere.
Values are adapted per column once (dates, datetimes, decimals, JSON), so millions of
rows cost seconds, not the minutes model instances and ``bulk_create`` would.

``with bulk_load([Model, ...]):`` follows PostgreSQL's own advice for populating a
database ("Populating a Database" in its manual): the tables' foreign keys and secondary
(non-unique) indexes are dropped for the load and created again after it, in the same
transaction, so that each is built or checked once over the whole table instead of once a
row (a foreign key added to a full table is checked by one join; the deferred per-row
checks it replaces were queued until the commit).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone

CHUNK = 10_000


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
    """Insert ``rows`` into ``model``'s table; returns how many."""
    meta = model._meta
    objs = [meta.get_field(name) for name in fields]
    # Columns the generator does not name (added since, e.g. by another app's migration)
    # get the model's default, as ``Model.objects.create`` would give them.
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
        chunk: list[tuple] = []
        for row in rows:
            chunk.append(adapted(row))
            if len(chunk) >= CHUNK:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


@contextmanager
def bulk_load(models_: Sequence[type[models.Model]]) -> Iterator[None]:
    """Load ``models_``' tables without their foreign keys and secondary indexes (PostgreSQL;
    elsewhere nothing changes). Must run inside a transaction: on an error the rollback
    brings every dropped constraint and index back."""
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("bulk_load needs a transaction")
    tables = [m._meta.db_table for m in models_]
    with connection.cursor() as cursor:
        # Rows written earlier in the transaction have their deferred foreign-key checks
        # queued: run them now (PostgreSQL alters no table with pending checks), then defer
        # again as Django's constraints are declared.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            "SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s) "
            "ORDER BY 1, 2",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary "
            "AND NOT i.indisunique "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
            "ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
