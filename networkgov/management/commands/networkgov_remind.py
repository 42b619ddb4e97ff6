"""``manage.py networkgov_remind [--date AAAA-MM-JJ]``: remind (SMS and e-mail) the member
organisations whose dues are unpaid and due within the statutes' ``reminder_days``; run
daily. Each membership is reminded once: running it twice sends nothing twice."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from core import dates
from networkgov.services import dues_reminders_send


class Command(BaseCommand):
    help = "Rappelle les cotisations au réseau à payer bientôt (SMS et e-mail)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", dest="day", default="", help="AAAA-MM-JJ (défaut : aujourd'hui)"
        )

    def handle(self, *args, day: str = "", **options):
        try:
            as_of = datetime.date.fromisoformat(day) if day else dates.today()
        except ValueError as exc:
            raise CommandError(f"Date invalide : {day}") from exc
        self.stdout.write(f"rappels envoyés : {dues_reminders_send(as_of=as_of)}")
