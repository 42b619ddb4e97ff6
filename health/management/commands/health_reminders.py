import datetime

from django.core.management.base import BaseCommand

from core import dates
from health.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "SMS aux ménages avant la fin de leur couverture santé ; sortie des enfants à l'âge limite."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, as_of=None, **options):
        counts = reminders_send(as_of=as_of or dates.today())
        self.stdout.write(f"lapse={counts['lapse']} aged_out={counts['aged_out']}")
