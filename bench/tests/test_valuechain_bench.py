"""The value chain bench's data (issue 17, point 12) at a tiny size: every cooperative
producing weekly, lots 6 production runs deep both ways, stock the sum of its movements;
the check counts doubled sales and receipt gaps."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from valuechain import trace
from valuechain.models import Lot, StockLevel, StockMovement


def run(*args) -> dict:
    out = StringIO()
    call_command("bench_valuechain", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_bench_data_are_six_steps_deep_and_consistent():
    made = run("setup", "--cooperatives", "2", "--weeks", "7")
    assert made["reused"] is False and made["runs"] == 2 * 7
    assert made["lots"] == 2 * 7 * 2 + 1  # a harvest and a flour lot a week, the shop's lot
    assert run("setup", "--cooperatives", "2", "--weeks", "7")["reused"] is True
    targets = run("targets")
    assert len(targets["tills"]) == 4 and len(targets["deep_lots"]) == 4
    for lot in Lot.objects.filter(pk__in=targets["deep_lots"]):
        t = trace.trace(lot)
        if lot.origin == "production":  # week 5's flour: 6 runs up, 6 harvests, 5 flours
            assert (len(t.upstream), len(t.downstream)) == (11, 0)
        else:  # week 0's harvest: the 6 flour lots made from it, week after week
            assert (len(t.upstream), len(t.downstream)) == (0, 6)
    for level in StockLevel.objects.all():
        moved = StockMovement.objects.filter(site=level.site_id, lot=level.lot_id)
        assert level.quantity == moved.aggregate(s=Sum("quantity"))["s"]
    assert run("check") == {"sales": 0, "doubled": 0, "receipt_gaps": 0}
