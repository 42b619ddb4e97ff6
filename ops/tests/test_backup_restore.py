"""Issue 23, point 4: a backup restored into a fresh database has every table's rows and
the books' totals of the original (on the database the suite runs on)."""

import io
import json
import os
import subprocess
import sys
import uuid

import dj_database_url
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from ops.backup import Target, manifest_compare, manifest_of_target

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fresh_database_url(tmp_path):
    """A URL to an empty database of the suite's kind, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"sunucoop_restore_{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    with connection.cursor() as cursor:  # transactional test: autocommit, CREATE may run
        cursor.execute(f'CREATE DATABASE "{name}"')
    host = f"{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    yield f"postgres://{host}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _backup(tmp_path):
    path = tmp_path / ("sunucoop.dump" if connection.vendor == "postgresql" else "sunucoop.sqlite3")
    call_command("backup", output=str(path))
    return path, json.loads((tmp_path / (path.name + ".manifest.json")).read_text())


def test_a_restore_has_every_row_and_the_same_books_and_a_damaged_copy_is_refused(
    demo_data, tmp_path, fresh_database_url, capsys
):
    path, manifest = _backup(tmp_path)
    assert manifest["tables"]["registry_person"] > 0
    assert manifest["books"], "the demo has books: their totals are in the manifest"
    for totals in manifest["books"].values():
        assert totals["debit"] == totals["credit"] > 0

    call_command("restore", str(path), database_url=fresh_database_url, yes=True)

    assert "égalent le manifeste" in capsys.readouterr().out
    target = Target.from_settings_dict(dj_database_url.parse(fresh_database_url))
    assert manifest_of_target(target) == {"tables": manifest["tables"], "books": manifest["books"]}

    _delete_one_journal_line(target)  # a damaged copy is not called good
    problems = manifest_compare(manifest, manifest_of_target(target))
    assert any("ledger_journalline" in p for p in problems)
    assert any("livres" in p for p in problems)


def test_restore_refuses_a_backup_of_the_other_kind_and_a_missing_file(
    tmp_path, fresh_database_url
):
    other = tmp_path / ("x.sqlite3" if connection.vendor == "postgresql" else "x.dump")
    other.write_bytes(b"not a backup")
    with pytest.raises(CommandError, match="ne se restaure pas"):
        call_command("restore", str(other), database_url=fresh_database_url, yes=True)
    with pytest.raises(CommandError, match="introuvable"):
        call_command(
            "restore", str(tmp_path / "absent.dump"), database_url=fresh_database_url, yes=True
        )


def test_restore_without_a_terminal_and_without_yes_replaces_nothing(
    tmp_path, fresh_database_url, monkeypatch
):
    """Run from cron or a pipe, the confirmation cannot be read: a French refusal, not a
    traceback, and the file is not even opened."""
    import sys

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="pas de réponse"):
        call_command("restore", str(tmp_path / "absent.dump"), database_url=fresh_database_url)


def test_a_database_behind_its_migrations_is_not_backed_up(tmp_path):
    """A real database migrated only to accounts' first migration (the suite's own has no
    migrations table): ``backup`` refuses it in French and writes nothing."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'behind.sqlite3'}",
        "DEBUG": "1",
    }
    env.pop("SUNUCOOP_TESTING", None)
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "accounts", "0001", "-v0"], env=env, check=True)
    out = tmp_path / "backups" / "behind.sqlite3"
    done = subprocess.run(
        [*manage, "backup", "--output", str(out)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "migration(s) en attente" in done.stderr and "manage.py migrate" in done.stderr
    assert not out.parent.exists()  # neither a file nor a manifest


def _delete_one_journal_line(target):
    """Lose a row in the restored copy, behind the app's back (a damaged restore)."""
    if target.vendor == "sqlite":
        import sqlite3

        raw = sqlite3.connect(target.name)
    else:
        import psycopg

        raw = psycopg.connect(
            dbname=target.name, host=target.host, port=target.port, user=target.user
        )
    with raw:
        raw.execute(
            "DELETE FROM ledger_journalline WHERE id = (SELECT MIN(id) FROM ledger_journalline)"
        )
    raw.close()


def test_no_url_reaches_ops():
    """ops/rules.py: backup and restore are for shell operators only, never a page."""
    from django.urls import get_resolver

    def walk(patterns):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from walk(p.url_patterns)
            else:
                yield p

    modules = {getattr(p.callback, "__module__", "") for p in walk(get_resolver().url_patterns)}
    assert not [m for m in modules if m.startswith("ops")]
