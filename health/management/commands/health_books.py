import datetime

from django.core.management.base import BaseCommand

from core import dates
from health.models import Scheme
from health.services import contributions_backfill, contributions_earn


class Command(BaseCommand):
    help = (
        "Livres des mutuelles : les mois de cotisation payés d'avance et commencés passent "
        "en produits (477 → 7581) ; les cotisations enregistrées avant les livres y sont "
        "passées, une fois chacune. Quotidien."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, as_of=None, **options):
        as_of = as_of or dates.today()
        total = backfilled = 0
        for scheme in Scheme.objects.order_by("pk"):
            backfilled += contributions_backfill(scheme=scheme, as_of=as_of)
            total += contributions_earn(scheme=scheme, as_of=as_of)
        self.stdout.write(f"backfilled={backfilled} earned={total}")
