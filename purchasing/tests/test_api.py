"""The purchasing API's fixed points (docs/api.md, "Purchasing"), scope and bad input."""

import datetime
from unittest import mock

import pytest

from purchasing.models import Campaign, Order
from purchasing.tests.factories import TODAY, market
from registry.tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def m(world):
    return market(world)


@pytest.fixture(autouse=True)
def _today():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def test_suppliers_products_and_groups(world, m, api_client):
    c = api_client(world.agent_th)
    r = c.post(
        "/api/v1/suppliers",
        {"name": "Agri Sahel", "phone": "+221770000000", "commune": "SN-TH-MBO-01"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert {"id", "name", "phone", "commune"} <= r.json().keys()
    assert r.json()["commune"] == "SN-TH-MBO-01"
    r = c.post(
        "/api/v1/products",
        {"name": "Engrais NPK", "unit": "sac", "category": "engrais"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["unit"] == "sac"
    r = c.post("/api/v1/products", {"name": "X", "unit": "barrel"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "unit"
    r = c.get("/api/v1/purchasing/groups")
    assert r.json()["count"] == 1
    group = r.json()["items"][0]
    assert group["area"] == "SN-TH"
    assert group["cooperatives"] == sorted([world.coop_mbour.pk, world.coop_thies.pk])
    assert api_client(world.agent_tc).get("/api/v1/purchasing/groups").json()["count"] == 0
    r = api_client(world.officer).post(
        "/api/v1/products", {"name": "Y", "unit": "kg"}, content_type="application/json"
    )
    assert r.status_code == 403


def test_campaign_create_with_offers(world, m, api_client):
    c = api_client(world.agent_th)
    body = {
        "group": m.group.pk,
        "name": "Contre-saison 2026",
        "opens_on": "2026-04-01",
        "closes_on": "2026-04-20",
        "offers": [
            {
                "product": m.rice.product_id,
                "supplier": m.supplier.pk,
                "pack_size": 10,
                "unit_price": 14500,
                "min_packs": 1,
            }
        ],
    }
    r = c.post("/api/v1/purchasing/campaigns", body, content_type="application/json")
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["status"] == "open" and data["group"] == m.group.pk
    assert {"id", "product", "supplier", "pack_size", "unit_price", "min_packs"} <= data["offers"][
        0
    ].keys()
    body["offers"][0]["unit_price"] = 0
    r = c.post("/api/v1/purchasing/campaigns", body, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "offers.0.unit_price"
    assert Campaign.objects.count() == 2
    r = api_client(m.officer_mbour).post(
        "/api/v1/purchasing/campaigns", {**body, "offers": []}, content_type="application/json"
    )
    assert r.status_code == 403


def test_orders_close_receive_as_in_the_docs(world, m, api_client):
    url = f"/api/v1/purchasing/campaigns/{m.campaign.pk}"
    for officer, coop, lines in [
        (m.officer_mbour, world.coop_mbour, [(m.rice, 8, 4), (m.seed, 30, 10)]),
        (m.officer_thies, world.coop_thies, [(m.rice, 9, 3), (m.seed, 12, 5)]),
    ]:
        r = api_client(officer).post(
            f"{url}/orders",
            {
                "cooperative": coop.pk,
                "lines": [{"offer": o.pk, "quantity": q, "tolerance": t} for o, q, t in lines],
            },
            content_type="application/json",
        )
        assert r.status_code == 201, r.content
    # an officer sees only its own order; the agent all
    assert api_client(m.officer_mbour).get(f"{url}/orders").json()["count"] == 1
    assert api_client(world.agent_th).get(f"{url}/orders").json()["count"] == 2
    agent = api_client(world.agent_th)
    preview = agent.get(f"{url}/close-preview").json()
    r = agent.post(f"{url}/close", {"on": "2026-03-10"}, content_type="application/json")
    assert r.status_code == 200, r.content
    lines = {ln["offer"]: ln for ln in r.json()["lines"]}
    assert [{k: v for k, v in ln.items() if k != "min_reached"} for ln in preview["lines"]] == [
        {k: v for k, v in ln.items() if k != "min_reached"} for ln in r.json()["lines"]
    ]
    assert (lines[m.rice.pk]["packs"], lines[m.rice.pk]["units"]) == (2, 20)
    assert lines[m.rice.pk]["allocations"] == [
        {"cooperative": world.coop_mbour.pk, "quantity": 11},
        {"cooperative": world.coop_thies.pk, "quantity": 9},
    ]
    r = api_client(m.officer_mbour).post(
        f"{url}/orders",
        {"cooperative": world.coop_mbour.pk, "lines": [{"offer": m.rice.pk, "quantity": 1}]},
        content_type="application/json",
    )
    assert r.status_code == 409 and r.json()["code"] == "campaign_closed"
    r = agent.post(
        f"{url}/receive",
        {
            "on": "2026-03-10",
            "lines": [{"offer": m.rice.pk, "received": 15}, {"offer": m.seed.pk, "received": 50}],
        },
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    invoices = {i["cooperative"]: i["amount"] for i in r.json()["invoices"]}
    assert invoices == {
        world.coop_mbour.pk: 8 * 15000 + 38 * 600,
        world.coop_thies.pk: 7 * 15000 + 12 * 600,
    }
    mine = api_client(m.officer_mbour).get("/api/v1/purchasing/invoices").json()
    assert [i["cooperative"] for i in mine["items"]] == [world.coop_mbour.pk]


def test_scope_another_areas_campaign_is_404_and_outsiders_409(world, m, api_client):
    url = f"/api/v1/purchasing/campaigns/{m.campaign.pk}"
    assert api_client(world.agent_tc).get(url).status_code == 404
    assert api_client(world.officer).get(url).status_code == 404  # Koumpentoum's officer
    assert api_client(world.member).get(url).status_code == 404
    outsider = CooperativeFactory(name="Coopérative de Thiès hors centrale", commune=world.thies)
    r = api_client(world.agent_th).post(
        f"{url}/orders",
        {"cooperative": outsider.pk, "lines": [{"offer": m.rice.pk, "quantity": 5}]},
        content_type="application/json",
    )
    assert r.status_code == 409 and r.json()["code"] == "not_in_group"
    r = api_client(world.agent_th).post(
        f"{url}/close", {"on": "2030-01-01"}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["code"] == "date_out_of_range"
    r = api_client(m.officer_mbour).post(
        f"{url}/close", {"on": "2026-03-10"}, content_type="application/json"
    )
    assert r.status_code == 403


@pytest.mark.parametrize(
    "line,field",
    [
        ({"quantity": 0}, "lines.0.quantity"),
        ({"quantity": -5}, "lines.0.quantity"),
        ({"quantity": 5, "tolerance": 10}, "lines.0.tolerance"),
        ({"quantity": 2**70}, None),
        ({"quantity": 5, "offer": 2**70}, "lines.0.offer"),
    ],
)
def test_bad_order_lines_are_400_and_write_nothing(world, m, api_client, line, field):
    body = {"cooperative": world.coop_mbour.pk, "lines": [{"offer": m.rice.pk, **line}]}
    r = api_client(m.officer_mbour).post(
        f"/api/v1/purchasing/campaigns/{m.campaign.pk}/orders",
        body,
        content_type="application/json",
    )
    assert r.status_code == 400, r.content
    assert r.json()["message"]
    if field:
        assert r.json()["field"] == field
    assert not Order.objects.exists()


def test_prices_get_and_post(world, m, api_client):
    c = api_client(world.agent_th)
    body = {
        "product": m.rice.product_id,
        "area": "SN-TH-MBO",
        "price": 17500,
        "observed_on": "2026-03-09",
        "source": "SIM bulletin",
    }
    r = c.post("/api/v1/prices", body, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["area"] == "SN-TH-MBO"
    assert (
        api_client(world.agent_tc)
        .post("/api/v1/prices", body, content_type="application/json")
        .status_code
        == 403
    )
    bad = {**body, "source": "x\x00y"}
    assert c.post("/api/v1/prices", bad, content_type="application/json").status_code == 400
    bad = {**body, "observed_on": datetime.date(2026, 3, 11).isoformat()}
    r = c.post("/api/v1/prices", bad, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "date_out_of_range"
    r = c.get(f"/api/v1/prices?product={m.rice.product_id}&area=SN-TH")
    assert r.json()["count"] == 1
    assert c.get("/api/v1/prices?area=SN-TC").json()["count"] == 0


def test_receive_and_pay_honour_an_idempotency_key(world, m, api_client):
    """docs/api.md: a money write under an Idempotency-Key answers the first result
    again and never posts twice; the same key with another body is 409."""
    from ledger.models import JournalEntry
    from purchasing.models import Invoice, InvoicePayment

    url = f"/api/v1/purchasing/campaigns/{m.campaign.pk}"
    api_client(m.officer_mbour).post(
        f"{url}/orders",
        {"cooperative": world.coop_mbour.pk, "lines": [{"offer": m.rice.pk, "quantity": 10}]},
        content_type="application/json",
    )
    agent = api_client(world.agent_th)
    agent.post(f"{url}/close", {"on": "2026-03-10"}, content_type="application/json")
    body = {"on": "2026-03-10", "lines": [{"offer": m.rice.pk, "received": 8}]}
    key = {"HTTP_IDEMPOTENCY_KEY": "reception-hivernage-1"}
    first = agent.post(f"{url}/receive", body, content_type="application/json", **key)
    assert first.status_code == 200, first.content
    entries = JournalEntry.objects.count()
    again = agent.post(f"{url}/receive", body, content_type="application/json", **key)
    assert again.status_code == 200 and again.json() == first.json()
    assert first.json()["invoices"][0]["amount"] == 8 * 15000
    assert Invoice.objects.count() == 1 and JournalEntry.objects.count() == entries
    other = {**body, "lines": [{"offer": m.rice.pk, "received": 7}]}
    r = agent.post(f"{url}/receive", other, content_type="application/json", **key)
    assert r.status_code == 409 and r.json()["code"] == "idempotency_mismatch"
    r = agent.post(f"{url}/receive", body, content_type="application/json")  # no key
    assert r.status_code == 409 and r.json()["code"] == "campaign_not_closed"

    invoice = first.json()["invoices"][0]["id"]
    officer = api_client(m.officer_mbour)
    pay = {"on": "2026-03-10", "channel": "cash", "reference": "reçu 42"}
    pay_url = f"/api/v1/purchasing/invoices/{invoice}/pay"
    key = {"HTTP_IDEMPOTENCY_KEY": "paiement-FA-1"}
    first = officer.post(pay_url, pay, content_type="application/json", **key)
    assert first.status_code == 200 and first.json()["status"] == "paid", first.content
    entries = JournalEntry.objects.count()
    again = officer.post(pay_url, pay, content_type="application/json", **key)
    assert again.status_code == 200 and again.json() == first.json()
    assert InvoicePayment.objects.count() == 1 and JournalEntry.objects.count() == entries
    r = officer.post(pay_url, {**pay, "channel": "bank"}, content_type="application/json", **key)
    assert r.status_code == 409 and r.json()["code"] == "idempotency_mismatch"
    r = officer.post(pay_url, pay, content_type="application/json", HTTP_IDEMPOTENCY_KEY="x" * 121)
    assert r.status_code == 400
    r = officer.post(pay_url, pay, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "already_paid"
