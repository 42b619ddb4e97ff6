"""The value chain API's fixed points (docs/api.md, "Value chain") and its scope per role."""

import datetime
import uuid

import pytest
from django.utils import timezone

from valuechain.models import Sale, StockMovement
from valuechain.tests.factories import DAY, chain, flour_at_shop, sell

pytestmark = pytest.mark.django_db
NOW = (timezone.now() - datetime.timedelta(minutes=5)).isoformat()


def test_goods_entering_a_run_a_transfer_and_the_stock(world, api_client):
    c = chain(world)
    api = api_client(c.officer_mbour)
    r = api.post(
        "/api/v1/lots",
        {
            "product": c.millet.pk,
            "quantity": 100,
            "site": c.production.pk,
            "on": DAY.isoformat(),
            "origin": "harvest",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.json()
    millet = r.json()
    assert set(millet) >= {"id", "code", "product", "quantity", "site", "on"}
    r = api.post(
        "/api/v1/production-runs",
        {
            "site": c.production.pk,
            "on": DAY.isoformat(),
            "inputs": [{"lot": millet["id"], "quantity": 100}],
            "outputs": [{"product": c.flour.pk, "quantity": 80}],
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.json()
    [out] = r.json()["outputs"]
    assert (out["product"], out["quantity"]) == (c.flour.pk, 80)
    body = {
        "lot": out["lot"],
        "quantity": 81,
        "from_site": c.production.pk,
        "to_site": c.shop.pk,
        "on": DAY.isoformat(),
    }
    r = api.post("/api/v1/stock/transfers", body, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "insufficient_stock"
    r = api.post(
        "/api/v1/stock/transfers", {**body, "quantity": 30}, content_type="application/json"
    )
    assert r.status_code == 201
    r = api.get(f"/api/v1/stock?site={c.production.pk}")
    assert r.json() == [
        {"lot": out["lot"], "code": out["code"], "product": c.flour.pk, "quantity": 50}
    ]  # the millet, at 0, is not listed
    r = api.get(f"/api/v1/lots/{millet['id']}/trace")
    assert r.json() == {"upstream": [], "downstream": [out["lot"]], "sales": []}


def test_sale_upsert_by_client_uuid(world, api_client):
    c = chain(world)
    _m, flour = flour_at_shop(c)
    api = api_client(c.cashier)
    body = {
        "client_uuid": str(uuid.uuid4()),
        "site": c.shop.pk,
        "sold_at": NOW,
        "lines": [{"lot": flour.pk, "quantity": 2, "unit_price": 600}],
        "payments": [
            {"channel": "cash", "amount": 700},
            {"channel": "mobile_money", "amount": 500},
        ],
    }
    first = api.post("/api/v1/shop/sales", body, content_type="application/json")
    assert first.status_code == 201, first.json()
    again = api.post("/api/v1/shop/sales", body, content_type="application/json")
    assert again.status_code == 200 and again.json() == first.json()
    assert Sale.objects.count() == 1
    assert StockMovement.objects.filter(kind="sale").count() == 1
    listed = api.get(f"/api/v1/shop/sales?site={c.shop.pk}").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == first.json()["id"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"payments": [{"channel": "cash", "amount": 1000}]}, "payments_mismatch"),
        ({"lines": [{"lot": "@lot", "quantity": 2, "unit_price": 0}]}, "invalid_price"),
        ({"lines": [{"lot": "@lot", "quantity": -2, "unit_price": 600}]}, "invalid_quantity"),
    ],
)
def test_bad_sales_are_400_and_write_nothing(world, api_client, change, code):
    c = chain(world)
    _m, flour = flour_at_shop(c)
    body = {
        "client_uuid": str(uuid.uuid4()),
        "site": c.shop.pk,
        "sold_at": NOW,
        "lines": [{"lot": flour.pk, "quantity": 2, "unit_price": 600}],
        "payments": [{"channel": "cash", "amount": 1200}],
        **change,
    }
    for line in body["lines"]:
        if line["lot"] == "@lot":
            line["lot"] = flour.pk
    r = api_client(c.cashier).post("/api/v1/shop/sales", body, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == code, r.json()
    assert r.json()["message"]
    assert not Sale.objects.exists()


def test_another_areas_lot_is_404(world, api_client):
    c = chain(world)
    _m, flour = flour_at_shop(c)
    for user in (world.officer, world.agent_tc, world.member, world.lender, world.nobody):
        api = api_client(user)
        assert api.get(f"/api/v1/lots/{flour.pk}").status_code == 404
        assert api.get(f"/api/v1/lots/{flour.pk}/trace").status_code == 404
        assert api.get("/api/v1/lots").json()["count"] == 0
    for user in (
        world.national,
        world.agent_th,
        world.agent_mbour,
        c.officer_mbour,
        c.cashier,
        c.partner_user,
    ):
        assert api_client(user).get(f"/api/v1/lots/{flour.pk}").status_code == 200


def test_partner_enterprise_reads_its_value_chains_only(world, api_client):
    c = chain(world)
    _m, flour = flour_at_shop(c)
    sale = sell(c, flour)
    api = api_client(c.partner_user)
    chains = api.get("/api/v1/value-chains").json()
    assert [vc["id"] for vc in chains["items"]] == [c.chain.pk]
    assert chains["items"][0]["partners"][0]["name"] == c.partner.name
    sites = {s["id"] for s in api.get("/api/v1/sites").json()["items"]}
    assert sites == {c.production.pk, c.shop.pk}
    assert api.get(f"/api/v1/shop/sales/{sale.pk}").status_code == 200
    r = api.post(
        "/api/v1/lots",
        {
            "product": c.millet.pk,
            "quantity": 1,
            "site": c.production.pk,
            "on": DAY.isoformat(),
            "origin": "harvest",
        },
        content_type="application/json",
    )
    assert r.status_code == 403


def test_agent_sees_their_areas_sites(world, api_client):
    c = chain(world)

    def ids(user):
        return {s["id"] for s in api_client(user).get("/api/v1/sites").json()["items"]}

    assert ids(world.agent_mbour) == {c.production.pk, c.shop.pk}
    assert ids(world.agent_tc) == {c.site_tc.pk}
    assert ids(world.officer) == {c.site_tc.pk}
    assert ids(world.national) == {c.production.pk, c.shop.pk, c.site_tc.pk}
    assert ids(world.member) == set()


def test_value_chain_create_with_partners_and_levels(world, api_client):
    c = chain(world)
    r = api_client(world.agent_mbour).post(
        "/api/v1/value-chains",
        {
            "name": "Poisson fumé de Mbour",
            "sector": "peche-transformation",
            "area": "SN-TH-MBO",
            "partners": [{"partner": c.partner.pk, "role": "enterprise"}],
            "cooperatives": [{"cooperative": world.coop_mbour.pk, "level": "production"}],
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.json()
    assert r.json()["sector"] == "peche-transformation"
    assert r.json()["cooperatives"] == [{"cooperative": world.coop_mbour.pk, "level": "production"}]
    r = api_client(world.agent_tc).post(
        "/api/v1/value-chains",
        {"name": "X", "sector": "peche-transformation", "area": "SN-TH-MBO"},
        content_type="application/json",
    )
    assert r.status_code == 403
