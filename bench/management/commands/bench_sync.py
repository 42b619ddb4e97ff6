"""Print, as JSON, issue 19's measures: a department agent's pull of changes and devices
pushing their records twice (bench/sync.py). The database is unchanged."""

import json

from django.core.management.base import BaseCommand

from bench.sync import AGENT, measure_pull, measure_push


class Command(BaseCommand):
    help = "Mesure la synchronisation hors ligne : pull des changements, envois d'appareils (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=30)
        parser.add_argument("--changes", type=int, default=50)
        parser.add_argument("--devices", type=int, default=1000)
        parser.add_argument("--per-device", type=int, default=50)
        parser.add_argument("--agent", default=AGENT)

    def handle(self, *args, requests, changes, devices, per_device, agent, **options):
        result = {
            "pull": measure_pull(requests=requests, changes=changes, agent=agent),
            "push": measure_push(devices=devices, per_device=per_device, agent=agent),
        }
        self.stdout.write(json.dumps(result))
