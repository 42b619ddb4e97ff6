"""Every table's rows copied once per test process and put back in place of a slow loader.

Transactional tests (browser tests, concurrency tests, the demo's checks) end with a flush of
every table. The next one used to rebuild what it needs from scratch: the reference data by
replaying every data migration, the whole demo by ``load_demo()``. Both are the same rows
each time, so the first build is copied (``take``) and later ones put the copy back
(``put_back``): on PostgreSQL with ``COPY`` (the exact text of every value), on SQLite with
the backup API (the whole in-memory database). Sequences continue after the highest id put
back, so a test's own inserts never collide.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction


@dataclass
class Snapshot:
    """What ``take`` copied: per table its COPY text (PostgreSQL) or the database (SQLite)."""

    tables: dict[str, bytes] = field(default_factory=dict)
    database: sqlite3.Connection | None = None


def _tables() -> list[str]:
    """The project's tables, as Django's flush sees them (never django_migrations)."""
    return connection.introspection.django_table_names(only_existing=True, include_views=False)


def take() -> Snapshot:
    """A copy of every table's rows as they are now (committed or not, on this connection)."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        return Snapshot(database=copy)
    if connection.vendor != "postgresql":  # the project runs on these two databases only
        raise RuntimeError(f"snapshots are taken on SQLite or PostgreSQL, not {connection.vendor}")
    snapshot = Snapshot()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: COPY is not in the DB-API
        for table in _tables():
            with raw.copy(f"COPY {quote(table)} TO STDOUT") as copy:  # names from the catalogue
                data = b"".join(bytes(block) for block in copy)
            if data:
                snapshot.tables[table] = data
    return snapshot


def put_back(snapshot: Snapshot) -> None:
    """Every table emptied, then the snapshot's rows written back, in one transaction."""
    connection.ensure_connection()
    if snapshot.database is not None:
        snapshot.database.backup(connection.connection)
    else:
        _put_back_postgresql(snapshot)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()  # ids are the snapshot's again


def _put_back_postgresql(snapshot: Snapshot) -> None:
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in connection.ops.sql_flush(no_style(), _tables(), allow_cascade=True):
            cursor.execute(sql)
        raw = cursor.cursor
        for table, data in snapshot.tables.items():  # foreign keys are checked at commit
            with raw.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                copy.write(data)
        models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
