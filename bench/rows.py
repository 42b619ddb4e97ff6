"""Fast row insertion for the synthetic data: tuples, not model instances.

``insert_rows(Model, ["id", "loan_id", ...], rows)`` (core.bulk) writes plain tuples
(values in the order of the named fields or attnames): COPY on PostgreSQL, ``executemany``
elsewhere.
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

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, models

from core.bulk import insert_rows

__all__ = ["CHUNK", "bulk_load", "insert_rows"]

CHUNK = 10_000


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
