"""The price watch: the 4-week median, the saving of a campaign, speculation alerts."""

import datetime

import pytest

from geo.models import Area
from purchasing import pricewatch, services
from purchasing.tests.factories import TODAY, market

pytestmark = pytest.mark.django_db


@pytest.fixture
def m(world):
    return market(world)


def record(world, m, area_code, day, price, product=None):
    return services.market_price_record(
        actor=world.national,
        product=product or m.rice.product,
        area=Area.objects.get(code=area_code),
        price=price,
        observed_on=day,
    )


def test_saving_against_the_median_of_the_previous_four_weeks(world, m):
    closes = m.campaign.closes_on
    for days, price in [(1, 17000), (8, 16000), (15, 18000), (29, 99000)]:  # 29: outside
        record(world, m, "SN-TH-MBO", closes - datetime.timedelta(days=days), price)
    record(world, m, "SN-TC", closes - datetime.timedelta(days=2), 1)  # another area
    services.order_place(
        actor=m.officer_mbour,
        campaign=m.campaign,
        cooperative=world.coop_mbour,
        lines=[(m.rice, 20, 0)],
        today=TODAY,
    )
    rows = {r.offer: r for r in pricewatch.campaign_savings(m.campaign)}
    rice = rows[m.rice.pk]
    assert rice.market_median == 17000
    assert rice.units == 20
    assert rice.saving == (17000 - 15000) * 20
    assert rows[m.seed.pk].market_median is None and rows[m.seed.pk].saving is None


def test_alert_when_the_latest_price_jumps_above_the_threshold(world, m):
    as_of = datetime.date(2026, 3, 10)
    for days, price in [(28, 100), (21, 104), (14, 98), (7, 100)]:
        record(world, m, "SN-TH-MBO", as_of - datetime.timedelta(days=days), price)
    record(world, m, "SN-TH-MBO", as_of, 120)  # +20 %: not above 20 %
    assert pricewatch.price_alerts(actor=world.national, as_of=as_of) == []
    record(world, m, "SN-TH-MBO", as_of, 121)
    alerts = pricewatch.price_alerts(actor=world.national, as_of=as_of)
    assert [(a.area, a.price, a.median) for a in alerts] == [("SN-TH-MBO", 121, 100)]
    assert alerts[0].jump_percent == pytest.approx(21, abs=0.1)
    assert len(pricewatch.price_alerts(actor=world.agent_th, as_of=as_of)) == 1
    assert pricewatch.price_alerts(actor=world.agent_tc, as_of=as_of) == []
    assert pricewatch.price_alerts(actor=world.officer, as_of=as_of) == []
    # a week later without a new price: no longer an alert
    assert (
        pricewatch.price_alerts(actor=world.national, as_of=as_of + datetime.timedelta(days=8))
        == []
    )
