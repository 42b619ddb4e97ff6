"""Build the quarterly reports waiting in the database queue (docs/adr/0005)."""

import time

from django.core.management.base import BaseCommand

from monitoring.services import reports_work


class Command(BaseCommand):
    help = "Prépare les rapports trimestriels en attente (file d'attente en base)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Vider la file puis s'arrêter.")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Secondes entre deux passages."
        )

    def handle(self, *args, once=False, interval=5.0, **options):
        while True:
            built = reports_work()
            if built:
                self.stdout.write(f"{built} rapport(s) préparé(s).")
            if once:
                return
            time.sleep(interval)
