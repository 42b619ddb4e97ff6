"""Data: Senegal, its 14 regions (ISO 3166-2) and 46 departments (geo/data/SN-areas.csv)."""

import csv
from pathlib import Path

from django.db import migrations

from core.text import fold

DATA = Path(__file__).resolve().parent.parent / "data" / "SN-areas.csv"


def rows():
    with DATA.open(encoding="utf-8") as f:
        yield from csv.DictReader(f, delimiter=";")


def load(apps, schema_editor):
    Area = apps.get_model("geo", "Area")
    by_code = {}
    for row in rows():
        parent = by_code.get(row["parent"]) if row["parent"] else None
        area, _ = Area.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"], "level": row["level"], "parent": parent,
                "path": f"{parent.path if parent else ''}{row['code']}/",
                "search_text": fold(row["name"], row["code"]),
            },
        )
        by_code[area.code] = area


def unload(apps, schema_editor):
    Area = apps.get_model("geo", "Area")
    codes = [row["code"] for row in rows()]
    for level in ("department", "region", "country"):
        Area.objects.filter(code__in=codes, level=level, children__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
