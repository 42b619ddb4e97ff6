"""``manage.py network_close_due --as USERNAME``: close every open campaign whose end date
has passed (refunds or settlement, docs/network.md); run daily, as a network
administrator. Running it twice pays nothing twice."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from network.services import campaigns_close_due


class Command(BaseCommand):
    help = "Clôture les campagnes échues (remboursements ou versement à l'organisation)."

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="username", required=True, help="administrateur")

    def handle(self, *args, username: str, **options):
        actor = get_user_model().objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"Utilisateur inconnu : {username}")
        for outcome, n in sorted(campaigns_close_due(actor=actor).items()):
            self.stdout.write(f"{outcome}: {n}")
