"""Backup and restore of the whole database, with a manifest to prove a restore.

PostgreSQL: ``pg_dump`` in its custom format (compressed, restorable table by table with
``pg_restore``). SQLite: the online backup API (a consistent copy while the app runs).
Beside each backup, ``<file>.manifest.json`` records the row count of every table and the
books' totals (debit and credit per cooperative); ``restore`` compares the restored
database with it and refuses to call a restore good when anything differs.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump / pg_restore, our own arguments, no shell
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections

from ledger.models import JournalLine

MANIFEST_SUFFIX = ".manifest.json"


class BackupError(Exception):
    """A backup or a restore that could not be made (the message says why, in French)."""


@dataclass(frozen=True)
class Target:
    """Where a database lives: the Django settings of one connection."""

    vendor: str
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_settings(cls, alias: str = "default") -> Target:
        return cls.from_settings_dict(settings.DATABASES[alias])

    @classmethod
    def from_settings_dict(cls, db: dict) -> Target:
        vendor = "sqlite" if db["ENGINE"].endswith("sqlite3") else "postgresql"
        return cls(
            vendor=vendor,
            name=str(db["NAME"]),
            host=str(db.get("HOST") or ""),
            port=str(db.get("PORT") or ""),
            user=str(db.get("USER") or ""),
            password=str(db.get("PASSWORD") or ""),
        )

    def pg_args(self) -> list[str]:
        args = []
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        if self.user:
            args += ["--username", self.user]
        return args

    def pg_env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password  # never on the command line, never logged
        return env


def default_path(target: Target, directory: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = ".dump" if target.vendor == "postgresql" else ".sqlite3"
    return directory / f"sunucoop-{stamp}{suffix}"


def _tables() -> list[str]:
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def manifest_from_cursor(cursor) -> dict:
    """Row counts of every model's table and the books' totals (debit and credit per
    cooperative), read through any DB-API cursor: Django's, or a raw one on a database
    that is not configured in Django (a restored copy)."""
    tables = {}
    for table in _tables():
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - our own table names
        tables[table] = cursor.fetchone()[0]
    cursor.execute(
        f'SELECT cooperative_id, SUM(debit), SUM(credit) FROM "{JournalLine._meta.db_table}"'  # noqa: S608
        " GROUP BY cooperative_id ORDER BY cooperative_id"
    )
    books = {str(coop): {"debit": int(d or 0), "credit": int(c or 0)} for coop, d, c in cursor}
    return {"tables": tables, "books": books}


def manifest_of(alias: str = "default") -> dict:
    with connections[alias].cursor() as cursor:
        return manifest_from_cursor(cursor)


def manifest_of_target(target: Target) -> dict:
    """The manifest of a database given by its settings, over a connection of its own."""
    if target.vendor == "sqlite":
        raw = sqlite3.connect(target.name)
    else:
        import psycopg

        raw = psycopg.connect(
            dbname=target.name,
            host=target.host or None,
            port=target.port or None,
            user=target.user or None,
            password=target.password or None,
        )
    try:
        cursor = raw.cursor()
        return manifest_from_cursor(cursor)
    finally:
        raw.close()


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(
            f"Programme introuvable : {command[0]} (paquet postgresql-client)."
        ) from exc
    if done.returncode != 0:
        raise BackupError(f"{command[0]} a échoué : {done.stderr.strip()[:500]}")


def pending_migrations(alias: str = "default") -> list[str]:
    """The migrations not applied to the database, as ``app.name``."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def backup_make(*, target: Target, path: Path, alias: str = "default") -> dict:
    """Write a consistent copy of the database to ``path`` and its manifest beside it.
    A database behind its migrations is refused: its manifest (every model's table) could
    not be read, and a restore would bring back a schema the code no longer has."""
    pending = pending_migrations(alias)
    if pending:
        shown = ", ".join(pending[:5]) + (" …" if len(pending) > 5 else "")
        raise BackupError(
            f"La base n'est pas à jour : {len(pending)} migration(s) en attente ({shown}). "
            "Lancez « manage.py migrate » avant de sauvegarder."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    manifest = manifest_of(alias)
    if target.vendor == "postgresql":
        command = ["pg_dump", "--format=custom", "--no-owner", "--file", str(path)]
        _run(command + target.pg_args() + [target.name], target.pg_env())
    else:
        connection = connections[alias]
        connection.ensure_connection()  # the online backup API, through Django's own connection
        copy = sqlite3.connect(path)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    manifest.update({"vendor": target.vendor, "file": path.name, "bytes": path.stat().st_size})
    manifest["created_at"] = datetime.now().isoformat(timespec="seconds")
    Path(str(path) + MANIFEST_SUFFIX).write_text(json.dumps(manifest, indent=1))
    return manifest


def restore_into(*, path: Path, target: Target) -> None:
    """Replace the database ``target`` with the backup at ``path`` (destructive)."""
    if not path.is_file():
        raise BackupError(f"Sauvegarde introuvable : {path}")
    vendor = "postgresql" if path.suffix == ".dump" else "sqlite"
    if vendor != target.vendor:
        raise BackupError(
            f"Cette sauvegarde ({vendor}) ne se restaure pas dans une base {target.vendor}."
        )
    if vendor == "postgresql":
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error"]
        _run(command + target.pg_args() + ["--dbname", target.name, str(path)], target.pg_env())
        return
    tmp = Path(target.name + ".restoring")
    source = sqlite3.connect(path)
    copy = sqlite3.connect(tmp)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    for leftover in (Path(target.name + "-wal"), Path(target.name + "-shm")):
        leftover.unlink(missing_ok=True)
    shutil.move(tmp, target.name)


def manifest_compare(expected: dict, found: dict) -> list[str]:
    """What differs between a backup's manifest and a restored database (French lines)."""
    problems = []
    for table, count in expected["tables"].items():
        got = found["tables"].get(table)
        if got != count:
            problems.append(f"Table {table} : {got} lignes au lieu de {count}.")
    if found["books"] != expected["books"]:
        problems.append("Les totaux des livres (débit, crédit par coopérative) diffèrent.")
    return problems
