"""``manage.py payments_statement_fetch [--provider wave] [--date YYYY-MM-DD]
[--cooperative N] --user USERNAME``: the provider's statement of a day (yesterday by
default) fetched from its API (Wave's Balance API, Orange Money's eWallet transactions),
imported and reconciled exactly as an uploaded file (docs/payments.md, "Reconciliation").

Run daily after midnight (README, "Scheduled jobs"), once per provider wallet; importing a
day twice adds nothing (lines are unique per provider and transaction id)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core import dates
from core.errors import DomainError
from payments.providers import provider_codes
from payments.services import statement_fetch
from registry.models import Cooperative


class Command(BaseCommand):
    help = "Importe et rapproche le relevé du jour d'un opérateur (son API)."

    def add_arguments(self, parser):
        parser.add_argument("--provider", action="append", help="wave, orange_money (répétable)")
        parser.add_argument("--date", help="AAAA-MM-JJ (défaut : hier)")
        parser.add_argument("--cooperative", type=int, help="coopérative titulaire du compte")
        parser.add_argument("--user", required=True, help="compte national qui importe")

    def handle(self, *args, provider=None, date=None, cooperative=None, user=None, **options):
        try:
            on = dt.date.fromisoformat(date) if date else dates.today() - dt.timedelta(1)
        except ValueError:
            raise CommandError("--date : AAAA-MM-JJ attendu") from None
        actor = get_user_model().objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"utilisateur inconnu : {user}")
        coop = None
        if cooperative:
            coop = Cooperative.objects.filter(pk=cooperative).first()
            if coop is None:
                raise CommandError(f"coopérative inconnue : {cooperative}")
        failed = False
        for code in provider or provider_codes():
            try:
                stmt = statement_fetch(provider=code, on=on, actor=actor, cooperative=coop)
            except DomainError as exc:
                failed = True
                self.stderr.write(f"{code} {on}: {exc.code} {exc.message}")
                continue
            lines = stmt.lines.all()
            unmatched = sum(1 for ln in lines if ln.status == "unmatched")
            self.stdout.write(
                f"{code} {on}: read {stmt.lines_read}, new {stmt.lines_new}, unmatched {unmatched}"
            )
        if failed:
            raise CommandError(_("au moins un relevé n'a pas pu être importé"))
