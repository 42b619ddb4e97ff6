"""Load the demo data set. Idempotent: running it again keeps the data, duplicates nothing.

Demo data (and only demo data) creates the demo logins, all with password ``sunucoop-demo``.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from demo.loader import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent) et affiche les identifiants."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="n'affiche pas les identifiants")

    def handle(self, *args, quiet=False, **options):
        with transaction.atomic():
            report = load_demo()
        if quiet:
            return
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        for line in report:
            self.stdout.write(f"  {line}")
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Identifiants de démonstration (mot de passe : {DEMO_PASSWORD})")
        )
        for username, label in DEMO_USERS_LABELS:
            self.stdout.write(f"  {username:<20} {label}")


DEMO_USERS_LABELS = [
    ("national", "ministère, vue nationale (administrateur)"),
    ("controleur", "niveau national : approuve les versements demandés par « national »"),
    ("agent-tambacounda", "agent de terrain, région de Tambacounda"),
    ("agent-thies", "agent de terrain, région de Thiès"),
    ("officer", "responsable d'une coopérative de Koumpentoum"),
    ("officer-thies", "responsable de la coopérative qui mène la centrale d'achat de Thiès"),
    ("officer-mbour", "responsable d'une coopérative de Mbour, membre de la centrale d'achat"),
    ("lender", "mutuelle d'épargne et de crédit de Tambacounda (prêts en région de Tambacounda)"),
    ("lender-checker", "même mutuelle : valide ce que saisit « lender » (double contrôle)"),
    ("fonds", "fonds d'appui du programme (prêts dans les régions prioritaires)"),
    ("fonds-checker", "même fonds : valide ce que saisit « fonds » (double contrôle)"),
    ("mec-thies", "mutuelle d'épargne et de crédit de Thiès (prêts en région de Thiès)"),
    ("mec-thies-checker", "même mutuelle : valide ce que saisit « mec-thies »"),
]
