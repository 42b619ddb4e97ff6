"""``manage.py events_payouts_due --as USERNAME``: settle every ended event's fees and
pay its organiser (docs/events.md); run daily, as a network administrator. Running it
twice (or beside an organiser's click) pays nothing twice."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from events.services import event_payouts_due


class Command(BaseCommand):
    help = "Verse aux organisateurs les frais des événements terminés (moins la commission)."

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="username", required=True, help="administrateur")

    def handle(self, *args, username: str, **options):
        actor = get_user_model().objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"Utilisateur inconnu : {username}")
        for outcome, n in sorted(event_payouts_due(actor=actor).items()):
            self.stdout.write(f"{outcome}: {n}")
