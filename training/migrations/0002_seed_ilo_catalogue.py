"""Seed the ILO catalogue (Think.COOP, Start.COOP, My.COOP / Manage.COOP). Reversible.

Durations and audiences are the programme's starting values; the national role edits them
afterwards through the catalogue page.
"""

from django.db import migrations

CATALOGUE = [
    # code, programme, position, title, days, audience
    (
        "think-coop",
        "think",
        1,
        "Think.COOP : comprendre le modèle coopératif",
        1,
        "Groupements et porteurs de projet envisageant une coopérative",
    ),
    (
        "start-1-membres-idee",
        "start",
        1,
        "Start.COOP 1 : membres fondateurs et idée d'entreprise",
        2,
        "Membres fondateurs d'une coopérative en création",
    ),
    (
        "start-2-faisabilite",
        "start",
        2,
        "Start.COOP 2 : étude de faisabilité",
        2,
        "Membres fondateurs d'une coopérative en création",
    ),
    (
        "start-3-plan-affaires",
        "start",
        3,
        "Start.COOP 3 : plan d'affaires",
        3,
        "Membres fondateurs et futurs dirigeants",
    ),
    (
        "start-4-lancement",
        "start",
        4,
        "Start.COOP 4 : lancement de la coopérative",
        2,
        "Dirigeants élus de la coopérative",
    ),
    (
        "my-gouvernance",
        "my",
        1,
        "My.COOP : gouvernance et vie associative",
        2,
        "Organes de gestion et de surveillance",
    ),
    (
        "my-finance",
        "my",
        2,
        "My.COOP : gestion financière et comptabilité",
        3,
        "Trésoriers, gérants, comptables",
    ),
    (
        "my-marketing",
        "my",
        3,
        "My.COOP : commercialisation et marketing",
        2,
        "Gérants et responsables commerciaux",
    ),
    (
        "my-approvisionnement",
        "my",
        4,
        "My.COOP : approvisionnement et gestion des stocks",
        2,
        "Gérants et magasiniers",
    ),
]


def seed(apps, schema_editor):
    Module = apps.get_model("training", "Module")
    for code, programme, position, title, days, audience in CATALOGUE:
        Module.objects.update_or_create(
            code=code,
            defaults={
                "programme": programme,
                "position": position,
                "title": title,
                "duration_days": days,
                "audience": audience,
            },
        )


def unseed(apps, schema_editor):
    Module = apps.get_model("training", "Module")
    Module.objects.filter(
        code__in=[row[0] for row in CATALOGUE],
        sessions__isnull=True,
        certifications__isnull=True,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0001_training_and_follow_up")]

    operations = [migrations.RunPython(seed, unseed)]
