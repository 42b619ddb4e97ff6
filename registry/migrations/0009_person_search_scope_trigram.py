"""One trigram index over the person's search text and scope text (PostgreSQL only).

Person search matches the name words on ``search_text`` and the actor's scope words on
``scope_text`` (``registry.scope_text``). A GIN index over both columns serves the two
conditions in one index scan: the index returns the visible matches only, instead of
every name match checked against the area's memberships. It replaces migration 0004's
index on ``search_text`` alone (a condition on one column of a GIN index is served by it
as well). Like 0004: where ``pg_trgm`` is not available, search stays a sequential scan
and the migration says so. SQLite: nothing to do.
"""

from django.db import DatabaseError, migrations, transaction

INDEX = "registry_person_search_scope_trgm"
OLD = "registry_person_search_text_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_person "
                "USING gin (search_text gin_trgm_ops, scope_text gin_trgm_ops)"
            )
            schema_editor.execute(f"DROP INDEX IF EXISTS {OLD}")
    except DatabaseError as exc:  # no contrib package, or no right to create the extension
        print(f"\n  registry: pas d'index trigramme sur la recherche de personnes ({exc}).")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {OLD} ON registry_person "
                "USING gin (search_text gin_trgm_ops)"
            )
    except DatabaseError:
        pass
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_person_scope_text_backfill")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
