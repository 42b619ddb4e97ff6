"""The network bench runs at small sizes: its data, its page measures, and the pledge load
whose figures must come out exact (bench/network.py)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from network.models import Campaign, Organisation, Pledge


def _run(*args):
    out = StringIO()
    call_command("bench_network", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bench_network_generates_measures_and_checks_the_figures():
    made = _run("generate", "--orgs", "108", "--campaigns", "6", "--pledges-per-campaign", "2")
    assert (made["organisations"], made["countries"], made["live_campaigns"]) == (108, 54, 6)
    assert made["pledges"] == 12
    assert _run("generate", "--orgs", "108")["generated"] is False  # kept between runs
    pages = _run("pages", "--requests", "5")
    for measure in (pages["directory"], pages["campaign_page"]):
        assert measure["requests"] == 5 and measure["p95_ms"] >= measure["p50_ms"] > 0
    load = _run("pledges", "--rate", "40", "--seconds", "0.5", "--threads", "2")
    assert load["sent"] == 20 and load["errors"] == 0, load["first_errors"]
    assert load["exact"], (load["figures"], load["expected"])
    assert load["figures"]["matches"] == 6  # 20 pledges from 6 phones: each matched once
    assert Pledge.objects.filter(campaign_id=load["campaign"]).count() == 20
    assert Organisation.objects.count() == 108 and Campaign.objects.count() == 7
