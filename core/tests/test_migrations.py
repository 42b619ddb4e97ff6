"""The migrations build the schema the models describe, on the database the suite runs on.

The test databases are made from the models (``--nomigrations``, conftest.py), which spares
every test process two minutes of migrating. What that gave up is checked here once: the
whole chain of migrations is run from zero into a fresh database (``manage.py migrate`` in
its own process, as a deployment does), and every table, column, type and nullability, and
every index's columns, must equal the test database's. ``makemigrations --check`` (make
test) says the models and the migrations' state agree; this says the SQL does too."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db


def _columns_sqlite(raw) -> dict:
    tables = [
        r[0]
        for r in raw.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    schema = {}
    for table in tables:
        cols = raw.execute(f'PRAGMA table_info("{table}")').fetchall()  # names from the catalogue
        indexes = {}
        for index in raw.execute(f'PRAGMA index_list("{table}")').fetchall():
            names = [c[2] for c in raw.execute(f'PRAGMA index_info("{index[1]}")').fetchall()]
            indexes[index[1]] = tuple(names)
        schema[table] = (
            {c[1]: (c[2].lower(), bool(c[3])) for c in cols},
            sorted(set(indexes.values())),
        )
    return schema


COLUMNS_SQL = """
SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
WHERE table_schema = 'public'
"""
INDEXES_SQL = """
SELECT t.relname, array_agg(a.attname ORDER BY k.n)
FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid
JOIN pg_namespace ns ON ns.oid = t.relnamespace
CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
WHERE ns.nspname = 'public' GROUP BY t.relname, x.relname
"""


def _columns_postgresql(cursor) -> dict:
    schema: dict = {}
    cursor.execute(COLUMNS_SQL)
    for table, column, kind, nullable in cursor.fetchall():
        schema.setdefault(table, ({}, []))[0][column] = (kind, nullable == "NO")
    cursor.execute(INDEXES_SQL)
    for table, columns in cursor.fetchall():
        schema[table][1].append(tuple(columns))
    return {t: (cols, sorted(set(idx))) for t, (cols, idx) in schema.items()}


def _project_tables() -> set[str]:
    """The tables of the project's own apps: their models, m2m and history tables."""
    from core.apps import project_app_configs

    return {
        model._meta.db_table
        for config in project_app_configs()
        for model in config.get_models(include_auto_created=True)
        if model._meta.managed
    }


def _migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "SUNUCOOP_TESTING": "1"}
    done = subprocess.run(  # noqa: S603 - our own manage.py with our interpreter
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,  # a bound, not a goal: about 150 s of CPU on a quiet machine
    )
    assert done.returncode == 0, done.stderr[-3000:]


def _fresh_postgresql():
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("options", None)
    name = f"sunucoop_migrations_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    return admin, name, url


def test_the_migrations_build_the_models_schema(tmp_path: Path):
    if connection.vendor == "sqlite":
        import sqlite3

        path = tmp_path / "migrated.sqlite3"
        _migrate(f"sqlite:///{path}")
        migrated = _columns_sqlite(sqlite3.connect(path))
        connection.ensure_connection()
        ours = _columns_sqlite(connection.connection)
    else:
        import psycopg

        admin, name, url = _fresh_postgresql()
        try:
            _migrate(url)
            parsed = dj_database_url.parse(url)
            with psycopg.connect(
                dbname=parsed["NAME"], user=parsed["USER"], host=parsed["HOST"], port=parsed["PORT"]
            ) as fresh:
                migrated = _columns_postgresql(fresh.cursor())
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
        with connection.cursor() as cursor:
            ours = _columns_postgresql(cursor)
    project = _project_tables()  # Django's own apps' tables are Django's (their old
    # migrations keep integer keys that today's models would make bigint)
    assert project <= set(migrated), project - set(migrated)
    assert project <= set(ours), project - set(ours)
    differing = {t: (migrated[t], ours[t]) for t in project if migrated[t] != ours[t]}
    assert not differing, differing
