"""Issue 20's bench (bench/network.py), one step a call, printing JSON: ``generate`` the
50 000 organisations, 5 000 live campaigns and their pledges (once), measure the
directory's search and campaign ``pages``, or fire ``pledges`` at one campaign."""

import json

from django.core.management.base import BaseCommand

from bench import network


class Command(BaseCommand):
    help = "Banc du portail du réseau : generate | pages | pledges (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("step", choices=["generate", "pages", "pledges"])
        parser.add_argument("--orgs", type=int, default=network.ORGS)
        parser.add_argument("--campaigns", type=int, default=network.CAMPAIGNS)
        parser.add_argument("--pledges-per-campaign", type=int, default=10)
        parser.add_argument("--requests", type=int, default=200)
        parser.add_argument("--rate", type=float, default=network.PLEDGE_RATE)
        parser.add_argument("--seconds", type=float, default=network.PLEDGE_SECONDS)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--processes", type=int, default=2)

    def handle(self, *args, step, **o):
        if step == "generate":
            result = network.generate(
                orgs=o["orgs"], campaigns=o["campaigns"], pledges=o["pledges_per_campaign"]
            )
        elif step == "pages":
            result = network.measure_pages(requests=o["requests"])
        else:
            result = network.measure_pledges(
                rate=o["rate"],
                seconds=o["seconds"],
                threads=o["threads"],
                processes=o["processes"],
            )
        self.stdout.write(json.dumps(result))
