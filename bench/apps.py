import os

from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "bench"
    verbose_name = "Banc de mesure"

    def ready(self):
        # The webhook load measure (bench/payments.py) pays intents of a purpose of its own,
        # registered only in the server it starts (BENCH_PAYMENTS_PURPOSE=1).
        if os.environ.get("BENCH_PAYMENTS_PURPOSE") == "1":
            from bench.payments import BenchPurpose
            from payments import purposes

            purposes.register("bench_payment", BenchPurpose())
