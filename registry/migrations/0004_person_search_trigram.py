"""A trigram index on ``registry_person.search_text`` (PostgreSQL only).

Person search is a substring ``LIKE '%…%'`` on the folded ``search_text`` (ADR 0003): a
B-tree cannot serve it, so at national scale (150,000 persons) every search read the
whole table (about 70 ms of the 125 ms of ``/registre/personnes/?q=ndiaye``). A GIN index
with ``gin_trgm_ops`` serves ``LIKE`` with a leading wildcard (about 10 ms for a common
surname, 2 ms for a full name). ``pg_trgm`` ships with PostgreSQL (contrib) and is a
trusted extension: the database's owner may create it. Where it is not available or may
not be created, the migration leaves search as it was (a sequential scan) and says so.
SQLite: nothing to do.
"""

from django.db import DatabaseError, migrations, transaction

INDEX = "registry_person_search_text_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_person "
                "USING gin (search_text gin_trgm_ops)"
            )
    except DatabaseError as exc:  # no contrib package, or no right to create the extension
        print(f"\n  registry: pas d'index trigramme sur la recherche de personnes ({exc}).")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_person_created_by")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
