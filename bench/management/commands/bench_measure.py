"""Print, as JSON, the members import and nightly job measurements (bench/measure.py)."""

import json

from django.core.management.base import BaseCommand

from bench.measure import measure_import, measure_nightly


class Command(BaseCommand):
    help = "Mesure l'import des membres et le traitement de nuit du portefeuille (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=2000)
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--import-repeat", type=int, default=1)

    def handle(self, *args, rows, repeat, import_repeat, **options):
        result = {
            "import": measure_import(rows, repeat=import_repeat, raw_repeat=repeat),
            "nightly": measure_nightly(repeat=repeat),
        }
        self.stdout.write(json.dumps(result))
