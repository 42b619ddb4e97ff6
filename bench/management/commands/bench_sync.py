"""Print, as JSON, issue 19's measures: a department agent's pull of changes and devices
pushing their records twice (bench/sync.py). The database is unchanged.

``--devices 0`` measures the pull only; ``--context`` prints what the concurrent push
(bench/sync_push.py) builds its batches from; ``--count FILE`` what the database holds of
the UUIDs listed in FILE (a JSON list)."""

import json

from django.core.management.base import BaseCommand

from bench.sync import AGENT, measure_pull, measure_push, push_context, written


class Command(BaseCommand):
    help = "Mesure la synchronisation hors ligne : pull des changements, envois d'appareils (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=30)
        parser.add_argument("--changes", type=int, default=50)
        parser.add_argument("--devices", type=int, default=1000)
        parser.add_argument("--per-device", type=int, default=50)
        parser.add_argument("--agent", default=AGENT)
        parser.add_argument("--context", action="store_true")
        parser.add_argument("--count", default="")

    def handle(self, *args, requests, changes, devices, per_device, agent, **options):
        if options["context"]:
            self.stdout.write(json.dumps(push_context(agent), default=str))
            return
        if options["count"]:
            with open(options["count"]) as f:
                self.stdout.write(json.dumps(written(json.load(f))))
            return
        result = {"pull": measure_pull(requests=requests, changes=changes, agent=agent)}
        if devices:
            result["push"] = measure_push(devices=devices, per_device=per_device, agent=agent)
        self.stdout.write(json.dumps(result))
