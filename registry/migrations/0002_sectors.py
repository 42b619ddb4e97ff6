"""Data: the starting list of CPS sectors (non-farming productive activities)."""

from django.db import migrations

SECTORS = [
    ("transformation-agroalimentaire", "Transformation agroalimentaire"),
    ("artisanat", "Artisanat"),
    ("couture-habillement", "Couture et habillement"),
    ("elevage", "Élevage"),
    ("peche-transformation", "Pêche et transformation halieutique"),
    ("btp", "Bâtiment et travaux publics"),
    ("services", "Services"),
    ("commerce", "Commerce et distribution"),
    ("savonnerie-cosmetique", "Savonnerie et cosmétique"),
    ("recyclage", "Recyclage et environnement"),
    ("numerique", "Numérique"),
    ("teinture", "Teinture et textile"),
]


def load(apps, schema_editor):
    Sector = apps.get_model("registry", "Sector")
    for code, name in SECTORS:
        Sector.objects.get_or_create(code=code, defaults={"name": name})


def unload(apps, schema_editor):
    Sector = apps.get_model("registry", "Sector")
    Sector.objects.filter(code__in=[c for c, _ in SECTORS], cooperative__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
