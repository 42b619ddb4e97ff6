"""A property: whatever happens (entries, transfers, runs, sales, losses, counts), a lot's
stock at a site is the sum of its movements there."""

import datetime
import uuid

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import DomainError
from valuechain import services
from valuechain.models import StockLevel, StockMovement
from valuechain.tests.factories import DAY, chain

pytestmark = pytest.mark.django_db

step = st.tuples(
    st.sampled_from(["open", "transfer", "back", "run", "sale", "loss", "count"]),
    st.integers(min_value=0, max_value=3),
    st.integers(min_value=-5, max_value=60),
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=25))
def test_stock_is_always_the_sum_of_movements(world, steps):
    c = chain_once(world)
    actor = world.national
    lots = []
    for op, i, q in steps:
        lot = lots[i % len(lots)] if lots else None
        try:
            if op == "open" or lot is None:
                lots.append(
                    services.lot_open(
                        actor=actor,
                        product=c.millet,
                        quantity=q,
                        site=c.production,
                        on=DAY,
                        origin="harvest",
                    )
                )
            elif op == "transfer":
                services.stock_transfer(
                    actor=actor, lot=lot, quantity=q, from_site=c.production, to_site=c.shop, on=DAY
                )
            elif op == "back":
                services.stock_transfer(
                    actor=actor, lot=lot, quantity=q, from_site=c.shop, to_site=c.production, on=DAY
                )
            elif op == "run":
                run = services.production_run_record(
                    actor=actor,
                    site=c.production,
                    on=DAY,
                    inputs=[(lot, q)],
                    outputs=[(c.flour, max(q - 1, 1))],
                )
                lots.extend(run.outputs.all())
            elif op == "sale":
                services.sale_record(
                    actor=actor,
                    client_uuid=uuid.uuid4(),
                    site=c.shop,
                    sold_at=timezone.now() - datetime.timedelta(minutes=1),
                    lines=[(lot, q, 100)],
                    payments=[("cash", q * 100, "")],
                )
            elif op == "loss":
                services.stock_loss(
                    actor=actor, site=c.production, lot=lot, quantity=q, on=DAY, note="rats"
                )
            else:
                services.stock_count(actor=actor, site=c.shop, lot=lot, counted=q, on=DAY)
        except DomainError:
            pass  # refused: nothing half-written (checked below)
    for level in StockLevel.objects.all():
        moves = StockMovement.objects.filter(site=level.site, lot=level.lot)
        assert level.quantity == sum(m.quantity for m in moves)
        if level.site_id == c.production.pk:
            assert level.quantity >= 0  # only a shop's offline sales go below zero


_cache = {}


def chain_once(world):
    """One chain per test database (hypothesis runs the body many times in one test)."""
    key = world.national.pk
    if key not in _cache:
        _cache.clear()
        _cache[key] = chain(world)
    return _cache[key]
