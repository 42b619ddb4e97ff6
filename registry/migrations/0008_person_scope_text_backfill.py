"""Fill ``registry_person.scope_text`` for the persons already there (data).

By chunks of 20,000 persons (``registry.scope_text.rebuild``: plain SQL on the tables, so
it runs on this schema whatever the models become). Reversible: going back leaves the
column to migration 0007's removal.
"""

from django.db import migrations


def backfill(apps, schema_editor):
    from registry.scope_text import rebuild

    rebuild(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("registry", "0007_person_scope_text")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False)]
