"""Print, as JSON, issue 16's measures: a national campaign's closing and the price-watch
page over 3 years of weekly prices (bench/purchasing.py). The database is unchanged."""

import json

from django.core.management.base import BaseCommand

from bench.purchasing import measure_close, measure_price_page


class Command(BaseCommand):
    help = "Mesure la clôture d'une campagne nationale et la page de veille des prix (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--coops", type=int, default=500)
        parser.add_argument("--offers", type=int, default=20)
        parser.add_argument("--weeks", type=int, default=157)
        parser.add_argument("--products", type=int, default=5)
        parser.add_argument("--requests", type=int, default=30)

    def handle(self, *args, coops, offers, weeks, products, requests, **options):
        result = {
            "close": measure_close(coops=coops, offers=offers),
            "price_page": measure_price_page(weeks=weeks, products=products, requests=requests),
        }
        self.stdout.write(json.dumps(result))
