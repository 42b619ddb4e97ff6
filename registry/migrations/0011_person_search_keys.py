"""Person search's keys (PostgreSQL): the search text's trigrams prefixed by the person's
regions, so that a scoped search reads its region's entries of the index, not the
country's (registry.scope_text, "search keys"; docs/registry.md).

1. The scope text gains ``rg<id>``, the region of each of the person's areas (the area
   right under a country among the ``ar`` words), as ``registry.scope_text`` now writes it.
   PostgreSQL: one UPDATE (sorted as ``compose`` sorts); SQLite: ``scope_text.rebuild``.
2. PostgreSQL only: ``registry_person_search_keys(scope_text, search_text)``, every
   ``rg`` word of the scope times every trigram of ``show_trgm`` made of three letters
   (not the padded ones at a word's ends, nor those with digits: a query's trigrams are
   taken inside its runs of letters, ``scope_text.query_trigrams``; about 6 keys a person
   instead of 26, so a person's write inserts fewer index entries); a stored generated
   column ``search_keys`` of it (the database keeps it with every write of either column;
   the model does not declare it) and a GIN index. A stored column rather than an index
   on the expression: a search's other conditions make PostgreSQL check each row found,
   and computing the keys again for each row cost more than the index saved.

Where ``pg_trgm`` is not available (migration 0010), step 2 is skipped: search keeps
migration 0010's index or a sequential scan.
"""

from django.db import DatabaseError, migrations, transaction

INDEX = "registry_person_search_keys"
# The index's list of pending entries (GIN's fast update), in kB: every search reads it
# whole, so it is kept small (the default is 4 MB); a write that fills it merges it into
# the index. Measured at household scale (docs/benchmarks.md): 6,000 pending entries after
# an import added 4 ms to an agent's search; 256 kB keeps that under 1 ms and the members
# import near its speed without the index.
PENDING_KB = 256
FUNCTION = "registry_person_search_keys"
# Regions: the areas right under a root (country).
WITH_REGIONS = """
UPDATE registry_person AS p SET scope_text = ' ' || array_to_string(ARRAY(
    SELECT DISTINCT w COLLATE "C" FROM unnest(
        string_to_array(btrim(p.scope_text), ' ') || ARRAY(
            SELECT 'rg' || a.id FROM geo_area a JOIN geo_area c ON c.id = a.parent_id
            WHERE c.parent_id IS NULL AND position(' ar' || a.id || ' ' IN p.scope_text) > 0
        )
    ) AS w ORDER BY 1
), ' ') || ' '
WHERE EXISTS (
    SELECT 1 FROM geo_area a JOIN geo_area c ON c.id = a.parent_id
    WHERE c.parent_id IS NULL AND position(' ar' || a.id || ' ' IN p.scope_text) > 0
)
"""
WITHOUT_REGIONS = r"""
UPDATE registry_person SET scope_text = regexp_replace(scope_text, ' rg[0-9]+(?= )', '', 'g')
WHERE scope_text LIKE '%% rg%%'
"""


def trgm_schema(schema_editor) -> str | None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_trgm'"
        )
        row = cursor.fetchone()
    return row[0] if row else None


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        from registry import scope_text

        scope_text.rebuild(using=schema_editor.connection.alias)
        return
    schema_editor.execute(WITH_REGIONS)
    schema = trgm_schema(schema_editor)
    if schema is None:
        print("\n  registry: pas de pg_trgm, pas de clés de recherche par région.")
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            # Qualified: a restore (pg_dump) runs with an empty search_path.
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {FUNCTION}(scope text, search text) "
                "RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ "
                "SELECT coalesce(array_agg(r || ':' || t), '{}') "
                "FROM unnest(string_to_array(btrim(scope), ' ')) AS r, "
                f'unnest("{schema}".show_trgm(search)) AS t '
                "WHERE r LIKE 'rg%%' AND t ~ '^[a-z]{3}$' $$"
            )
            schema_editor.execute(
                "ALTER TABLE registry_person ADD COLUMN IF NOT EXISTS search_keys text[] "
                f"GENERATED ALWAYS AS ({FUNCTION}(scope_text, search_text)) STORED"
            )
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_person USING gin (search_keys) "
                f"WITH (gin_pending_list_limit = {PENDING_KB})"
            )
    except DatabaseError as exc:
        print(f"\n  registry: pas de clés de recherche par région ({exc}).")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite keeps the rg words: no rule reads them without the keys
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute("ALTER TABLE registry_person DROP COLUMN IF EXISTS search_keys")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text, text)")
    schema_editor.execute(WITHOUT_REGIONS)


class Migration(migrations.Migration):
    dependencies = [("registry", "0010_person_search_scope_words")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
