"""Data: the CPS programme's own national targets (docs/programme-facts.md)."""

from decimal import Decimal

from django.db import migrations

TARGETS = [
    ("cooperatives_created", 2025, "1000", "1 000 nouvelles CPS en 2025 (lancement du programme)"),
    ("cooperatives_total", 2027, "3000", "3 000 CPS d'ici 2027"),
    ("members_total", 2027, "10000", "plus de 10 000 acteurs de l'ESS regroupés en coopératives"),
    ("decent_jobs", 2027, "7000", "au moins 7 000 personnes en emploi décent"),
    ("cooperatives_supported_pct", 2026, "90", "appui substantiel à au moins 90 % des CPS ciblées"),
]


def load(apps, schema_editor):
    Area = apps.get_model("geo", "Area")
    Target = apps.get_model("monitoring", "Target")
    country = Area.objects.filter(code="SN").first()
    if country is None:
        return
    for indicator, year, value, note in TARGETS:
        Target.objects.get_or_create(indicator=indicator, area=country, year=year,
                                     defaults={"value": Decimal(value), "note": note})


def unload(apps, schema_editor):
    Target = apps.get_model("monitoring", "Target")
    for indicator, year, _value, _note in TARGETS:
        Target.objects.filter(indicator=indicator, area__code="SN", year=year).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_targets"), ("geo", "0002_senegal_regions_departments")]
    operations = [migrations.RunPython(load, unload)]
