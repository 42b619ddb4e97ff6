"""``manage.py payments_webhook_worker [--once] [--interval S] [--batch N]``: apply the
webhook events the queued mode stored (settings.PAYMENTS_WEBHOOK_QUEUED), in the order
received, each once (services.webhook_events_apply). Runs beside the app server, at a
lower priority than it (``nice``): the requests are answered first, the events applied
right after. ``--once`` drains what is queued and stops (cron, tests)."""

import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from payments.services import webhook_events_apply

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Applique les événements d'opérateur reçus (mode file d'attente), dans l'ordre."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="vider la file puis s'arrêter")
        parser.add_argument("--interval", type=float, default=0.2, help="secondes")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, once=False, interval=0.2, batch=500, **options):
        total = 0
        while True:
            try:
                done = webhook_events_apply(limit=batch)
            except Exception:  # a bug in one event must not stop the others' application
                log.exception("webhook events: a pass failed; the events stay queued")
                close_old_connections()
                done = 0
            total += done
            if once and done < batch:
                break
            if not done:
                time.sleep(interval)
        self.stdout.write(f"applied: {total}")
