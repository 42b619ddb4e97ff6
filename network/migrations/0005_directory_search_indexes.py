"""The directory's indexes at the network's scale (issue 20, point 11; ADR 0003).

- ``netorg_status_country_name``: a country's organisations in name order (the
  directory's order) read as an index range, 20 rows a page, instead of walking the
  names of every country (93 ms for Mali among 50,000 organisations, now under 1 ms).
- ``network_organisation_search_text_trgm`` (PostgreSQL only): a trigram GIN index on the
  folded ``search_text``, which serves the search's ``LIKE '%word%'`` (each word of the
  query) as a bitmap index condition instead of a sequential scan: 3 ms for ``thies`` or
  ``cooperative sante`` among 50,000 organisations instead of 60 ms. ``pg_trgm`` ships
  with PostgreSQL (contrib) and is trusted; where it is not available or may not be
  created, the migration says so and search stays a sequential scan (as registry 0004).
SQLite: the B-tree only.
"""

from django.db import DatabaseError, migrations, models, transaction

TRGM = "network_organisation_search_text_trgm"


def create_trigram(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {TRGM} ON network_organisation "
                "USING gin (search_text gin_trgm_ops)"
            )
    except DatabaseError as exc:  # no contrib package, or no right to create the extension
        print(f"\n  network: pas d'index trigramme sur la recherche de l'annuaire ({exc}).")


def drop_trigram(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRGM}")


class Migration(migrations.Migration):
    dependencies = [("network", "0004_organisation_files_and_codes")]

    operations = [
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(
                fields=["status", "country", "name", "id"], name="netorg_status_country_name"
            ),
        ),
        migrations.RunPython(create_trigram, drop_trigram, elidable=False),
    ]
