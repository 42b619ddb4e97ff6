"""Nightly job: recompute outstanding principal, arrears and days past due of every active
loan as of a date (default: today), then the portfolio rollups of that day for every
commune (credit/rollups.py), and purge the rollups of the days before. Idempotent: a
second run on the same date changes no loan. Set-based: three queries per batch of loans,
then one bulk UPDATE per batch."""

from __future__ import annotations

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core import dates
from credit import rollups
from credit.portfolio import refresh_all


class Command(BaseCommand):
    help = (
        "Recalcule les jours de retard et l'encours de chaque prêt en cours (--as-of AAAA-MM-JJ)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="date de calcul (AAAA-MM-JJ)")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, as_of=None, batch_size=2000, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else dates.today()
        except ValueError:
            raise CommandError(_("--as-of attend une date AAAA-MM-JJ.")) from None
        started = time.perf_counter()
        seen, changed = refresh_all(as_of=day, batch_size=batch_size)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{day.isoformat()} : {seen} prêts examinés, {changed} mis à jour en {elapsed:.2f} s"
        )
        started = time.perf_counter()
        rows, by_lender = rollups.compute(as_of=day)
        purged = rollups.purge(before=day)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{day.isoformat()} : {rows} lignes de cumuls du portefeuille "
            f"(et {by_lender} par prêteur) en {elapsed:.2f} s, "
            f"{purged} des jours précédents supprimées"
        )
