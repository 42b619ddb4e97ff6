"""Compute today's figures of every area ahead of the users; purge rows nobody reads."""

import datetime

from django.core.management.base import BaseCommand
from django.db.models import Min, Q
from django.utils import timezone

from core import dates
from credit import rollups as portfolio_rollups
from geo.changes import changes_prune
from geo.models import Area
from monitoring import rollups
from monitoring.models import AreaFigures
from monitoring.selectors import baseline_days, default_as_of, month_ends


class Command(BaseCommand):
    help = (
        "Calcule les chiffres du suivi de toutes les zones pour aujourd'hui (et les fins de "
        "mois de l'année) ; supprime les chiffres des jours passés qui ne servent plus."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument(
            "--rebuild", action="store_true", help="Tout recalculer (après un changement de règle)."
        )

    def handle(self, *args, year=None, rebuild=False, **options):
        today = dates.today()
        year = year or today.year
        as_of = default_as_of(year, today)
        if rebuild:
            AreaFigures.objects.filter(year=year).delete()
        country = Area.objects.filter(level="country")
        started = timezone.now()
        # The baselines of relative targets ("production doubled from 2025") too: the
        # indicators read them at every request, and a first read at household scale
        # computed a whole past year inside the request (15 min: the worker was killed,
        # nothing stored, the next reader started again).
        days = {(year, day) for day in month_ends(year, as_of)} | baseline_days(today)
        for area in country:
            for y, day in sorted(days):
                rollups.refresh(area, y, day)
        keep = Q(as_of__in=month_ends(year, as_of)) | Q(as_of=datetime.date(year, 12, 31))
        purged, _ = AreaFigures.objects.filter(year=year, as_of__lt=as_of).exclude(keep).delete()
        # Change marks older than every stored figure can no longer make one stale.
        # The portfolio's rollups (credit) read the same marks.
        oldest = min(
            (
                at
                for at in (
                    AreaFigures.objects.aggregate(oldest=Min("computed_at"))["oldest"],
                    portfolio_rollups.oldest_computed(),
                )
                if at is not None
            ),
            default=None,
        )
        pruned = changes_prune(before=oldest) if oldest else 0
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(
            f"Chiffres {year} au {as_of:%d/%m/%Y} à jour en {seconds:.1f} s ; "
            f"{purged} lignes périmées supprimées, {pruned} marques de changement oubliées."
        )
