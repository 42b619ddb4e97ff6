"""The account the shared equipment's usage fee needs in the booking cooperative's books
(valuechain/postings.py): 6223, SYSCOHADA's "Locations de matériels et outillages"."""

from django.db import migrations

ACCOUNTS = [("6223", "Locations de matériels et outillages")]


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
    dependencies = [
        ("valuechain", "0002_technology_boutique"),
        ("ledger", "0003_loan_accounts"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
