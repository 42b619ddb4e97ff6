"""Send the day's SMS reminders (before and after due dates) through settings.SMS_BACKEND."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core import dates
from credit.reminders import reminders_send


class Command(BaseCommand):
    help = "Envoie les rappels SMS d'échéance du jour (--as-of AAAA-MM-JJ)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="date (AAAA-MM-JJ)")

    def handle(self, *args, as_of=None, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else dates.today()
        except ValueError:
            raise CommandError(_("--as-of attend une date AAAA-MM-JJ.")) from None
        try:
            sent = reminders_send(as_of=day)
        except ImproperlyConfigured as exc:  # e.g. CREDIT_REMINDER_TEXT_WO names an unknown key
            raise CommandError(f"Réglage des rappels invalide : {exc}") from None
        self.stdout.write(f"{day.isoformat()} : {sent} rappels envoyés")
