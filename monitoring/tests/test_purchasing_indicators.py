"""Issue 16, point 7: the purchasing indicators (purchases_value, purchases_savings,
cooperatives_buying_together) per area and year, from the stored rollups (equal to a
computation from scratch, fresh after a receipt or a late market price), with the records
behind them; point 6: the price alert on the national dashboard."""

import datetime

import pytest

from geo.models import Area
from monitoring.indicators import BY_CODE, Context
from monitoring.selectors import indicator_records, indicator_values
from purchasing import services
from purchasing.tests.factories import TODAY, market

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 3, 21)
CODES = ["purchases_value", "purchases_savings", "cooperatives_buying_together"]


def stored(actor, area="SN", year=2026, as_of=ON):
    rows = indicator_values(
        actor=actor, area=Area.objects.get(code=area), year=year, as_of=as_of, codes=CODES
    )
    return {r["code"]: r["value"] for r in rows}


def scratch(actor, area="SN", year=2026, as_of=ON):
    ctx = Context(actor=actor, area=Area.objects.get(code=area), year=year, as_of=as_of)
    return {code: BY_CODE[code].compute(ctx, {}) for code in CODES}


def price(world, product, area, day, value):
    services.market_price_record(
        actor=world.national,
        product=product,
        area=Area.objects.get(code=area),
        price=value,
        observed_on=day,
    )


@pytest.fixture
def received(world):
    """Mbour orders 10 sacs of rice (15 000 F), Thiès 50 kg of seed (600 F); the market's
    rice is at 17 000 F in Mbour the week before closing; closed and received in full."""
    m = market(world)
    price(world, m.rice.product, "SN-TH-MBO", datetime.date(2026, 3, 15), 17000)
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
    stored(world.national)  # the rollups exist before the receipt: they must go stale
    services.campaign_receive(
        actor=world.agent_th, campaign=m.campaign, on=ON, lines=[(m.rice, 10, 0), (m.seed, 50, 0)]
    )
    return m


def test_values_per_area_and_year_stored_and_from_scratch(world, received):
    expected = {
        "purchases_value": 10 * 15000 + 50 * 600,
        "purchases_savings": (17000 - 15000) * 10,  # seed: no market price, saves 0
        "cooperatives_buying_together": 2,
    }
    assert stored(world.national) == scratch(world.national) == expected
    assert stored(world.national, "SN-TH") == expected
    mbour = {"purchases_value": 150000, "purchases_savings": 20000}
    assert stored(world.agent_mbour, "SN-TH-MBO") == {**mbour, "cooperatives_buying_together": 1}
    assert scratch(world.agent_mbour, "SN-TH-MBO") == stored(world.agent_mbour, "SN-TH-MBO")
    nothing = dict.fromkeys(CODES, 0)
    assert stored(world.national, "SN-TC") == scratch(world.national, "SN-TC") == nothing
    assert stored(world.agent_tc, "SN-TC") == nothing
    before = datetime.date(2025, 12, 31)
    assert stored(world.national, year=2025, as_of=before) == nothing
    assert stored(world.national, as_of=datetime.date(2026, 3, 20)) == nothing  # not yet issued


def test_a_late_market_price_moves_the_stored_saving(world, received):
    assert stored(world.national)["purchases_savings"] == 20000
    # the seed's market price, recorded late for 10 March: 50 kg × (700 − 600) more saved
    price(world, received.seed.product, "SN-TH", datetime.date(2026, 3, 10), 700)
    assert stored(world.national)["purchases_savings"] == 20000 + 50 * 100
    # a price outside the group's area (Tambacounda) or after the closing changes nothing
    price(world, received.seed.product, "SN-TC", datetime.date(2026, 3, 10), 5000)
    price(world, received.seed.product, "SN-TH", datetime.date(2026, 3, 21), 5000)
    assert stored(world.national) == scratch(world.national)
    assert stored(world.national)["purchases_savings"] == 25000


def test_records_behind_the_figure(world, received):
    def rows(actor, code, area):
        found = indicator_records(
            actor=actor, code=code, area=Area.objects.get(code=area), year=2026, as_of=ON
        )
        assert found["kind"] == "purchases"
        return [(r["name"], r["invoices"], r["amount"], r["saving"]) for r in found["rows"]]

    mbour, thies = world.coop_mbour.name, world.coop_thies.name
    assert rows(world.national, "purchases_value", "SN") == [
        (mbour, 1, 150000, 20000),
        (thies, 1, 30000, 0),
    ]
    assert rows(world.agent_mbour, "cooperatives_buying_together", "SN-TH-MBO") == [
        (mbour, 1, 150000, 20000)
    ]


def test_dashboard_shows_the_indicators_the_records_and_a_price_alert(world, received, client):
    today = datetime.date.today()
    rice = received.rice.product
    for weeks, value in [(4, 15000), (3, 15500), (2, 15000), (1, 16000)]:
        price(world, rice, "SN-TH-THI", today - datetime.timedelta(weeks=weeks), value)
    price(world, rice, "SN-TH-THI", today, 21000)  # +37.7 % over the 4-week median 15 250
    client.force_login(world.national)
    html = client.get("/suivi/?year=2026").content.decode()
    for code in CODES:
        assert f'data-code="{code}"' in html
    alert = html[html.index('data-testid="price-alerts"') :]
    alert = alert[: alert.index("</section>")]
    assert rice.name in alert and "+37.7 %" in alert.replace(",", ".")
    page = client.get("/suivi/indicateurs/purchases_value/?area=SN&year=2026")
    assert page.status_code == 200 and world.coop_mbour.name in page.content.decode()
    client.force_login(world.agent_tc)  # Tambacounda's agent: Thiès's alert is not theirs
    html = client.get("/suivi/?year=2026").content.decode()
    assert 'data-testid="price-alerts"' not in html
