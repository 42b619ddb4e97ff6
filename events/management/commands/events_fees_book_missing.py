"""``manage.py events_fees_book_missing --as USERNAME [--dry-run]``: book the event fees
paid before fees were booked (552 → 4197, docs/events.md), as a network administrator.
Each fee is booked exactly once: running it twice books nothing more."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.errors import Forbidden
from core.money import format_xof
from events.selectors import fees_missing_from_books
from events.services import fees_book_missing


class Command(BaseCommand):
    help = "Comptabilise les frais d'événements payés avant que les frais soient comptabilisés."

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="username", required=True, help="administrateur")
        parser.add_argument("--dry-run", action="store_true", help="compter sans rien écrire")

    def handle(self, *args, username: str, dry_run: bool, **options):
        actor = get_user_model().objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"Utilisateur inconnu : {username}")
        try:
            if dry_run:
                missing = fees_missing_from_books(actor=actor)
                total = sum(intent.amount for _registration, intent in missing)
                self.stdout.write(f"{len(missing)} frais à comptabiliser ({format_xof(total)})")
                return
            done = fees_book_missing(actor=actor)
        except Forbidden as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{done['booked']} frais comptabilisés ({format_xof(done['amount'])})")
