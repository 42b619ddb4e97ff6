"""Data: "production doubled" also in volume: the ``production_volume`` indicator (kg)
targets 2 × its 2025 value by 2027, as ``production_value`` (0005, same reasoning)."""

from django.db import migrations

NOTE = (
    "doubler la production actuelle : 2 × kilogrammes produits en 2025 (année de "
    "référence) ; horizon 2027 retenu faute d'échéance dans le programme"
)


def load(apps, schema_editor):
    Area = apps.get_model("geo", "Area")
    Target = apps.get_model("monitoring", "Target")
    country = Area.objects.filter(code="SN").first()
    if country is None:
        return
    Target.objects.get_or_create(
        indicator="production_volume",
        area=country,
        year=2027,
        defaults={"value": None, "baseline_year": 2025, "multiplier": 2, "note": NOTE},
    )


def unload(apps, schema_editor):
    Target = apps.get_model("monitoring", "Target")
    Target.objects.filter(
        indicator="production_volume", area__code="SN", year=2027, baseline_year=2025
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0005_production_doubled_target")]
    operations = [migrations.RunPython(load, unload)]
