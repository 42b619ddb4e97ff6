"""Person search's index: trigrams of the search text and the scope text's words as an
array (PostgreSQL only), replacing migration 0009's trigrams of both columns.

Search's scope condition is ``string_to_array(btrim(scope_text), ' ') && ARRAY[...]``
(``registry.scope_text.HasAnyWord``): an agent's area is one exact key of the index (the
persons of the area), where 0009's trigrams of a regular expression such as
``' (ar14|us2) '`` read keys like ``ar1`` that nearly every person's text holds. A GIN
index takes the two columns with their own operator classes, so the name's trigrams and
the scope's words stay one index condition. Like 0009: where ``pg_trgm`` is not available,
search stays a sequential scan and the migration says so. SQLite: nothing to do.
"""

from django.db import DatabaseError, migrations, transaction

INDEX = "registry_person_search_scope_words"
OLD = "registry_person_search_scope_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_person USING gin "
                "(search_text gin_trgm_ops, (string_to_array(btrim(scope_text), ' ')))"
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
                "USING gin (search_text gin_trgm_ops, scope_text gin_trgm_ops)"
            )
    except DatabaseError:
        pass
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_person_search_scope_trigram")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
