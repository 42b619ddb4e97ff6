"""Data: "double their current production" (docs/programme-facts.md) as a target relative to 2025.

The programme gives a multiplier (2) and no year; the baseline is the first year of the
programme (2025, launched in March), measured in the cooperatives' books, and the horizon
is 2027, the horizon of the other counted targets. Both choices are written in the note
and in docs/monitoring.md; the ministry can change them on the targets page.
"""

from django.db import migrations

NOTE = (
    "doubler la production actuelle : 2 × ventes mesurées en 2025 (année de référence) ; "
    "horizon 2027 retenu faute d'échéance dans le programme"
)


def load(apps, schema_editor):
    Area = apps.get_model("geo", "Area")
    Target = apps.get_model("monitoring", "Target")
    country = Area.objects.filter(code="SN").first()
    if country is None:
        return
    Target.objects.get_or_create(
        indicator="production_value",
        area=country,
        year=2027,
        defaults={"value": None, "baseline_year": 2025, "multiplier": 2, "note": NOTE},
    )


def unload(apps, schema_editor):
    Target = apps.get_model("monitoring", "Target")
    Target.objects.filter(
        indicator="production_value", area__code="SN", year=2027, baseline_year=2025
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0004_target_relative_to_a_baseline_year")]
    operations = [migrations.RunPython(load, unload)]
