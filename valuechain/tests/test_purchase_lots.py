"""Goods received by a group purchase (issue "Buying together") open lots: a cooperative's
delivery note from the depot becomes a lot per product at one of its sites, once."""

import datetime

import pytest

from core.errors import Forbidden, ValidationFailed
from purchasing import services as purchasing
from purchasing.tests.factories import TODAY, market
from registry.models import Sector
from valuechain import selectors, services
from valuechain.models import Lot, StockLevel

pytestmark = pytest.mark.django_db

CLOSE_ON = datetime.date(2026, 3, 21)
RECEIVE_ON = datetime.date(2026, 3, 25)


def delivered(world, m):
    """Mbour orders 8 sacs of rice and 30 kg of seed; all arrive and are delivered."""
    purchasing.order_place(
        actor=m.officer_mbour,
        campaign=m.campaign,
        cooperative=world.coop_mbour,
        lines=[(m.rice, 10, 0), (m.seed, 50, 0)],
        today=TODAY,
    )
    purchasing.campaign_close(actor=world.agent_th, campaign=m.campaign, on=CLOSE_ON)
    purchasing.campaign_receive(
        actor=world.agent_th,
        campaign=m.campaign,
        on=RECEIVE_ON,
        lines=[(m.rice, 10, 0), (m.seed, 50, 0)],
    )
    return purchasing.delivery_record(
        actor=world.agent_th,
        campaign=m.campaign,
        cooperative=world.coop_mbour,
        on=RECEIVE_ON,
        received_by="Awa Diop",
    )


def site_of(world, coop, commune):
    vc = services.value_chain_create(
        actor=world.national,
        name="Céréales",
        sector=Sector.objects.get(code="transformation-agroalimentaire"),
        area=commune,
    )
    return services.site_create(
        actor=world.national,
        name="Magasin",
        kind="production",
        commune=commune,
        cooperative=coop,
        value_chain=vc,
    )


def test_a_delivery_opens_a_lot_per_product_once(world):
    m = market(world)
    delivery = delivered(world, m)
    site = site_of(world, world.coop_mbour, world.mbour)
    assert list(selectors.deliveries_to_enter(site=site)) == [delivery]
    lots = services.lots_from_delivery(actor=m.officer_mbour, site=site, delivery=delivery)
    got = {(lot.product.name, lot.quantity, lot.origin, lot.on) for lot in lots}
    assert got == {
        ("Riz brisé", 10, "purchase", RECEIVE_ON),
        ("Semence d'arachide", 50, "purchase", RECEIVE_ON),
    }
    assert {lv.quantity for lv in StockLevel.objects.filter(site=site)} == {10, 50}
    again = services.lots_from_delivery(actor=m.officer_mbour, site=site, delivery=delivery)
    assert [x.pk for x in again] == [x.pk for x in lots] and Lot.objects.count() == 2
    assert not selectors.deliveries_to_enter(site=site).exists()


def test_another_cooperatives_delivery_or_site_is_refused(world):
    m = market(world)
    delivery = delivered(world, m)
    thies_site = site_of(world, world.coop_thies, world.coop_thies.commune)
    with pytest.raises(ValidationFailed) as exc:
        services.lots_from_delivery(actor=world.national, site=thies_site, delivery=delivery)
    assert exc.value.code == "not_your_delivery"
    with pytest.raises(Forbidden):  # Mbour's officer does not run Thiès's site
        services.lots_from_delivery(actor=m.officer_mbour, site=thies_site, delivery=delivery)
    assert not Lot.objects.exists()


def test_the_site_page_enters_a_delivery(world, client):
    m = market(world)
    delivery = delivered(world, m)
    site = site_of(world, world.coop_mbour, world.mbour)
    client.force_login(m.officer_mbour)
    url = f"/filiere/sites/{site.pk}/"
    assert "Ouvrir les lots" in client.get(url).content.decode()
    done = client.post(url, {"action": "delivery", "delivery": delivery.pk}, follow=True)
    assert "2 lot(s) ouvert(s)" in done.content.decode()
    assert "Ouvrir les lots" not in done.content.decode()
    client.force_login(m.officer_thies)
    assert client.post(url, {"action": "delivery", "delivery": delivery.pk}).status_code == 404
