"""The purchasing bench runs (small sizes) and leaves the database unchanged."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from purchasing.models import Campaign, MarketPrice


@pytest.mark.django_db
def test_bench_purchasing_measures_and_rolls_back():
    out = StringIO()
    call_command(
        "bench_purchasing", coops=12, offers=3, weeks=6, products=2, requests=3, stdout=out
    )
    result = json.loads(out.getvalue())
    close = result["close"]
    assert (close["cooperatives"], close["offers"], close["order_lines"]) == (12, 3, 36)
    assert close["allocations"] > 0 and close["seconds"] >= 0
    page = result["price_page"]
    assert page["prices"] > 0 and page["p95_ms"] >= page["p50_ms"] > 0
    assert not Campaign.objects.exists() and not MarketPrice.objects.exists()
