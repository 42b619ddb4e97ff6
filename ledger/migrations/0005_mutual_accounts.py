"""Accounts a mutuelle de santé's books need (health/books.py) that the chart lacked:
477 for the contributions received for months not yet begun, 7582 for joining fees,
6588 for the care the mutual pays (claims)."""

from django.db import migrations

ACCOUNTS = [
    ("477", "Produits constatés d'avance (cotisations perçues d'avance)"),
    ("7582", "Droits d'adhésion"),
    ("6588", "Prestations de santé prises en charge"),
]


def seed(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    for code, label in ACCOUNTS:
        Account.objects.update_or_create(
            code=code, defaults={"label": label, "account_class": int(code[0])}
        )


def unseed(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    Account.objects.filter(
        code__in=[c for c, _ in ACCOUNTS], lines__isnull=True, holder_lines__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("ledger", "0004_holder_books")]

    operations = [migrations.RunPython(seed, unseed)]
