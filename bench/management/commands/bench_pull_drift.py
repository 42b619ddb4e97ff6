"""Print, as JSON, a pull of changes' cost as the last hour's changes grow (issue 23's soak
drift, bench/pull_drift.py). The database is unchanged."""

import json

from django.core.management.base import BaseCommand

from bench.pull_drift import measure_pull_drift


class Command(BaseCommand):
    help = "Mesure le pull des changements selon les changements de la dernière heure (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--agent", required=True, help="nom d'utilisateur de l'agent")
        parser.add_argument("--commune", required=True, help="code de la commune des inscrits")
        parser.add_argument("--counts", default="0,1000,3000")
        parser.add_argument("--pulls", type=int, default=10)

    def handle(self, *args, agent, commune, counts, pulls, **options):
        from accounts.models import User

        result = measure_pull_drift(
            agent=User.objects.get(username=agent),
            commune=commune,
            counts=[int(c) for c in counts.split(",")],
            pulls=pulls,
        )
        self.stdout.write(json.dumps(result))
