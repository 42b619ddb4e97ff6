"""The trace at depth (issue 17, point 12): a lot 6 production runs deep is traced both
ways in one recursive query a direction, whatever the depth; the API answers it and a
sale posts in a bounded number of queries (docs/benchmarks.md)."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from valuechain import services, trace
from valuechain.tests.factories import DAY, chain

pytestmark = pytest.mark.django_db


def six_deep(c):
    """A harvest milled 6 times in a row, each run adding a fresh harvest: returns the
    harvests (oldest first) and the flours (the last one 6 runs deep)."""
    harvests, flours, previous = [], [], None
    for _step in range(6):
        h = services.lot_open(
            actor=c.officer_mbour,
            product=c.millet,
            quantity=100,
            site=c.production,
            on=DAY,
            origin="harvest",
        )
        inputs = [(h, 100)] + ([(previous, 10)] if previous else [])
        run = services.production_run_record(
            actor=c.officer_mbour, site=c.production, on=DAY, inputs=inputs, outputs=[(c.flour, 90)]
        )
        previous = run.outputs.get()
        harvests.append(h)
        flours.append(previous)
    return harvests, flours


def test_trace_six_steps_deep_both_ways_in_three_queries(world):
    c = chain(world)
    harvests, flours = six_deep(c)
    with CaptureQueriesContext(connection) as queries:
        t = trace.trace(flours[-1])
    assert t.upstream == sorted(h.pk for h in harvests + flours[:-1])  # 11 lots
    assert len(t.upstream) == 11 and t.downstream == [] and t.sales == []
    assert len(queries) == 3  # upstream, downstream, sales: not one per step
    t = trace.trace(harvests[0])
    assert t.upstream == [] and t.downstream == sorted(f.pk for f in flours)  # 6 lots
    assert trace.trace(flours[2]).downstream == sorted(f.pk for f in flours[3:])


def test_trace_api_and_sale_query_counts(world, api_client):
    c = chain(world)
    _harvests, flours = six_deep(c)
    api = api_client(c.officer_mbour)
    with CaptureQueriesContext(connection) as queries:
        r = api.get(f"/api/v1/lots/{flours[-1].pk}/trace")
    assert r.status_code == 200 and len(r.json()["upstream"]) == 11
    assert len(queries) <= 8, [q["sql"][:80] for q in queries.captured_queries]
    services.stock_transfer(
        actor=c.officer_mbour,
        lot=flours[-1],
        quantity=50,
        from_site=c.production,
        to_site=c.shop,
        on=DAY,
    )
    shop = api_client(c.cashier)
    body = {
        "site": c.shop.pk,
        "sold_at": timezone.now().isoformat(),
        "lines": [{"lot": flours[-1].pk, "quantity": 1, "unit_price": 600}],
        "payments": [{"channel": "cash", "amount": 600}],
    }
    counts = []
    for _ in range(2):  # the second sale: nothing left to create on first use
        with CaptureQueriesContext(connection) as queries:
            r = shop.post(
                "/api/v1/shop/sales",
                {**body, "client_uuid": str(uuid.uuid4())},
                content_type="application/json",
            )
        assert r.status_code == 201, r.json()
        counts.append(len(queries))
    # about 40: the token, the scope, the site, the lot, the till's lock, the sale, per line
    # the line, the stock level's lock, the movement, then the payment and the journal
    # entry; none grows with the data
    assert counts[1] <= 45, [q["sql"][:90] for q in queries.captured_queries]
