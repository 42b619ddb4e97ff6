"""Monitoring's purchasing indicators: purchases_value, purchases_savings,
cooperatives_buying_together, per area and year, with the records behind them."""

import datetime

import pytest

from geo.models import Area
from monitoring.indicators import BY_CODE, Context
from monitoring.selectors import indicator_records
from purchasing import services
from purchasing.tests.factories import TODAY, market

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 3, 21)


def test_purchasing_indicators_and_their_records(world):
    m = market(world)
    services.market_price_record(
        actor=world.national,
        product=m.rice.product,
        area=Area.objects.get(code="SN-TH-MBO"),
        price=17000,
        observed_on=datetime.date(2026, 3, 15),
    )
    services.order_place(
        actor=m.officer_mbour,
        campaign=m.campaign,
        cooperative=world.coop_mbour,
        lines=[(m.rice, 10, 0)],
        today=TODAY,
    )
    services.order_place(
        actor=m.officer_thies,
        campaign=m.campaign,
        cooperative=world.coop_thies,
        lines=[(m.seed, 50, 0)],
        today=TODAY,
    )
    services.campaign_close(actor=world.agent_th, campaign=m.campaign, on=ON)
    services.campaign_receive(
        actor=world.agent_th, campaign=m.campaign, on=ON, lines=[(m.rice, 10, 0), (m.seed, 50, 0)]
    )

    def value(code, actor, area="SN"):
        ctx = Context(actor=actor, area=Area.objects.get(code=area), year=2026, as_of=ON)
        return BY_CODE[code].compute(ctx, {})

    assert value("purchases_value", world.national) == 10 * 15000 + 50 * 600
    assert value("purchases_savings", world.national) == (17000 - 15000) * 10  # seed: no price
    assert value("cooperatives_buying_together", world.national) == 2
    assert value("cooperatives_buying_together", world.agent_mbour, "SN-TH-MBO") == 1
    assert value("purchases_value", world.agent_tc, "SN-TC") == 0
    assert value("purchases_value", world.national, "SN-TC") == 0
    found = indicator_records(
        actor=world.agent_mbour,
        code="cooperatives_buying_together",
        area=Area.objects.get(code="SN-TH-MBO"),
        year=2026,
        as_of=ON,
    )
    assert list(found["rows"]) == [world.coop_mbour]
    ctx_before = Context(
        actor=world.national,
        area=Area.objects.get(code="SN"),
        year=2025,
        as_of=datetime.date(2025, 12, 31),
    )
    assert BY_CODE["purchases_value"].compute(ctx_before, {}) == 0
