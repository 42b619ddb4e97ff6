"""The purchasing pages: scope (404), roles (403), forms through the services, the close
preview, the PDF purchase order, query counts on list pages."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from purchasing import services
from purchasing.models import CampaignStatus, Invoice, Order
from purchasing.tests.factories import TODAY, market

pytestmark = pytest.mark.django_db


@pytest.fixture
def m(world):
    return market(world)


@pytest.fixture(autouse=True)
def _today():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def login(client, user):
    client.force_login(user)
    return client


def test_index_lists_campaigns_in_scope_with_bounded_queries(world, m, client):
    for i in range(5):
        services.campaign_copy(
            actor=world.agent_th,
            campaign=m.campaign,
            name=f"Saison {i}",
            opens_on=datetime.date(2027, 3, 1),
            closes_on=datetime.date(2027, 3, 20),
        )
    login(client, world.agent_th)
    client.get("/achats/")
    with CaptureQueriesContext(connection) as few:
        r = client.get("/achats/")
    assert r.status_code == 200 and "Saison 4" in r.content.decode()
    for i in range(5, 25):
        services.campaign_copy(
            actor=world.agent_th,
            campaign=m.campaign,
            name=f"Saison {i}",
            opens_on=datetime.date(2027, 3, 1),
            closes_on=datetime.date(2027, 3, 20),
        )
    with CaptureQueriesContext(connection) as many:
        client.get("/achats/")
    assert len(many) == len(few)
    login(client, world.agent_tc)
    assert "Hivernage 2026" not in client.get("/achats/").content.decode()
    assert client.get(f"/achats/campagnes/{m.campaign.pk}/").status_code == 404


def test_an_officer_orders_through_the_form(world, m, client):
    login(client, m.officer_mbour)
    page = client.get(f"/achats/campagnes/{m.campaign.pk}/")
    assert (
        f"/achats/campagnes/{m.campaign.pk}/commande/{world.coop_mbour.pk}/"
        in page.content.decode()
    )
    url = f"/achats/campagnes/{m.campaign.pk}/commande/{world.coop_mbour.pk}/"
    r = client.post(url, {f"quantity_{m.rice.pk}": "5", f"tolerance_{m.rice.pk}": "12"})
    assert r.status_code == 200 and "inférieure à un colis" in r.content.decode()
    assert not Order.objects.exists()
    r = client.post(url, {f"quantity_{m.rice.pk}": "5", f"tolerance_{m.rice.pk}": "3"})
    assert r.status_code == 302
    assert Order.objects.get().lines.get().quantity == 5
    other = f"/achats/campagnes/{m.campaign.pk}/commande/{world.coop_thies.pk}/"
    assert client.post(other, {f"quantity_{m.rice.pk}": "5"}).status_code == 404
    assert client.get(f"/achats/campagnes/{m.campaign.pk}/cloture/").status_code == 403


def test_close_shows_the_preview_then_confirms(world, m, client):
    services.order_place(
        actor=m.officer_mbour,
        campaign=m.campaign,
        cooperative=world.coop_mbour,
        lines=[(m.rice, 8, 4), (m.seed, 30, 10)],
        today=TODAY,
    )
    login(client, world.agent_th)
    page = client.get(f"/achats/campagnes/{m.campaign.pk}/cloture/").content.decode()
    assert "Minimum de 2 colis non atteint" in page  # seed: 30 kg alone is 1 pack
    assert "Minimum atteint" in page
    r = client.post(f"/achats/campagnes/{m.campaign.pk}/cloture/", {"on": "2026-03-10"})
    assert r.status_code == 302
    m.campaign.refresh_from_db()
    assert m.campaign.status == CampaignStatus.CLOSED
    pdf = client.get(f"/achats/campagnes/{m.campaign.pk}/bon-de-commande/{m.supplier.pk}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    login(client, m.officer_mbour)
    assert (
        client.get(
            f"/achats/campagnes/{m.campaign.pk}/bon-de-commande/{m.supplier.pk}.pdf"
        ).status_code
        == 404
    )


def test_receive_deliver_and_pay_through_the_pages(world, m, client):
    services.order_place(
        actor=m.officer_mbour,
        campaign=m.campaign,
        cooperative=world.coop_mbour,
        lines=[(m.rice, 8, 4)],
        today=TODAY,
    )
    services.campaign_close(actor=world.agent_th, campaign=m.campaign, on=TODAY)
    login(client, world.agent_th)
    url = f"/achats/campagnes/{m.campaign.pk}/reception/"
    r = client.post(
        url, {"on": "2026-03-10", f"received_{m.rice.pk}": "11", f"damaged_{m.rice.pk}": "0"}
    )
    assert r.status_code == 200 and "plus que commandé" in r.content.decode()
    r = client.post(
        url, {"on": "2026-03-10", f"received_{m.rice.pk}": "6", f"damaged_{m.rice.pk}": "1"}
    )
    assert r.status_code == 302
    invoice = Invoice.objects.get()
    assert invoice.amount == 5 * 15000
    r = client.post(
        f"/achats/campagnes/{m.campaign.pk}/livraison/{world.coop_mbour.pk}/",
        {"on": "2026-03-10", "received_by": "Awa Diop"},
    )
    assert r.status_code == 302
    login(client, m.officer_mbour)
    page = client.get("/achats/factures/").content.decode()
    assert str(invoice) in page
    r = client.post(f"/achats/factures/{invoice.pk}/", {"on": "2026-03-10", "channel": "cash"})
    assert r.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    login(client, m.officer_thies)
    assert client.get(f"/achats/factures/{invoice.pk}/").status_code == 404


def test_price_watch_page_records_and_alerts(world, m, client):
    from geo.models import Area

    mbour = Area.objects.get(code="SN-TH-MBO")
    for days, price in [(27, 15000), (20, 15500), (13, 15200), (6, 15000)]:
        services.market_price_record(
            actor=world.agent_th,
            product=m.rice.product,
            area=mbour,
            price=price,
            observed_on=TODAY - datetime.timedelta(days=days),
        )
    login(client, world.agent_th)
    r = client.post(
        "/achats/prix/",
        {
            "product": m.rice.product_id,
            "area": mbour.pk,
            "price": "19000",
            "observed_on": TODAY.isoformat(),
            "source": "Marché central",
        },
    )
    assert r.status_code == 302
    page = client.get("/achats/prix/").content.decode()
    assert 'data-testid="price-alerts"' in page and "Riz brisé" in page
    login(client, world.agent_tc)  # another area: no alert, no form for Thiès
    page = client.get("/achats/prix/").content.decode()
    assert 'data-testid="price-alerts"' not in page
