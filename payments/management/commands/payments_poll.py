"""``manage.py payments_poll [--older-than MINUTES]``: ask the providers about pending
payments (late or lost webhooks) and close the expired ones; follow payouts and refunds
to their end. Run every 5 minutes."""

from django.core.management.base import BaseCommand

from payments.services import payments_poll, payouts_follow, refunds_follow


class Command(BaseCommand):
    help = "Interroge les opérateurs sur les paiements en attente ; clôt les expirés."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=None, help="minutes")

    def handle(self, *args, older_than=None, **options):
        counts = payments_poll(older_than_minutes=older_than)
        counts.update({f"payout_{k}": v for k, v in payouts_follow().items()})
        counts.update({f"refund_{k}": v for k, v in refunds_follow().items()})
        for outcome, n in sorted(counts.items()):
            self.stdout.write(f"{outcome}: {n}")
