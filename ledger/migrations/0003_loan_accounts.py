"""Accounts the automatic loan postings need (ledger/postings.py) that the first seed lacked:
674 for late-payment penalties on loans, 846 for a loan written off by the lender (debt
forgiveness received, HAO income)."""

from django.db import migrations

ACCOUNTS = [
    ("674", "Autres intérêts (intérêts de retard, pénalités sur emprunts)"),
    ("846", "Abandons de créances obtenus"),
]


def seed(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    for code, label in ACCOUNTS:
        Account.objects.update_or_create(
            code=code, defaults={"label": label, "account_class": int(code[0])}
        )


def unseed(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    Account.objects.filter(code__in=[c for c, _ in ACCOUNTS], lines__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_seed_syscohada_chart")]

    operations = [migrations.RunPython(seed, unseed)]
