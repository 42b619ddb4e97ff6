"""The usury caps known on 23/11/2026 (docs/programme-facts.md, BCEAO): 24 % for microfinance (SFD),
15 % for banks, 14 % for banks from 1 June 2026. Editable in the admin; the dates of the
first two are when the platform starts counting, not the texts' dates (unverified)."""

import datetime
from decimal import Decimal

from django.db import migrations

CAPS = [
    ("sfd", Decimal("24"), datetime.date(2000, 1, 1), "BCEAO : taux de l'usure des SFD"),
    ("banque", Decimal("15"), datetime.date(2000, 1, 1), "BCEAO : taux de l'usure des banques"),
    ("banque", Decimal("14"), datetime.date(2026, 6, 1), "BCEAO : taux de l'usure des banques"),
]


def seed(apps, schema_editor):
    UsuryCap = apps.get_model("credit", "UsuryCap")
    for category, rate, on, source in CAPS:
        UsuryCap.objects.get_or_create(
            category=category, effective_from=on, defaults={"rate": rate, "source": source}
        )


def unseed(apps, schema_editor):
    UsuryCap = apps.get_model("credit", "UsuryCap")
    for category, _rate, on, _source in CAPS:
        UsuryCap.objects.filter(category=category, effective_from=on).delete()


class Migration(migrations.Migration):
    dependencies = [("credit", "0002_loans_schedules_repayments")]

    operations = [migrations.RunPython(seed, unseed)]
