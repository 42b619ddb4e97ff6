"""Losses, counts and settlement statements through the API (issue 17): the operator of
a site records them, an agent reads their area's, another area's site is 404; bad input
(negative quantities, a loss above the stock, a count on a day closed by its Z report)
is refused with its code and nothing is written."""

import datetime

import pytest
from django.utils import timezone

from valuechain import services
from valuechain.models import StockLevel, StockMovement
from valuechain.tests.factories import DAY, chain, flour_at_shop, sell

pytestmark = pytest.mark.django_db
JSON = "application/json"


def post(api, path, body):
    return api.post(f"/api/v1{path}", body, content_type=JSON)


def level(site, lot) -> int:
    return StockLevel.objects.get(site=site, lot=lot).quantity


def test_loss_recorded_listed_and_refused_above_stock(world, api_client):
    c = chain(world)
    _m, flour = flour_at_shop(c)  # 30 kg left at the production site, 50 at the shop
    api = api_client(c.officer_mbour)
    body = {
        "site": c.production.pk,
        "lot": flour.pk,
        "quantity": 4,
        "on": DAY.isoformat(),
        "note": "Sac percé",
    }
    r = post(api, "/stock/losses", body)
    assert r.status_code == 201, r.json()
    loss = r.json()
    assert (loss["site"], loss["lot"], loss["code"], loss["quantity"], loss["note"]) == (
        c.production.pk,
        flour.pk,
        flour.code,
        -4,
        "Sac percé",
    )
    assert level(c.production, flour) == 26
    before = StockMovement.objects.count()
    for bad, status, code in (
        ({"quantity": 27}, 409, "insufficient_stock"),
        ({"quantity": -3}, 400, "invalid_quantity"),
        ({"quantity": 0}, 400, "invalid_quantity"),
        ({"note": "  "}, 400, "required"),
        ({"on": "2999-01-01"}, 400, "date_out_of_range"),
    ):
        r = post(api, "/stock/losses", {**body, **bad})
        assert (r.status_code, r.json()["code"]) == (status, code), (bad, r.json())
        assert r.json()["message"]
    assert StockMovement.objects.count() == before and level(c.production, flour) == 26
    r = api.get(f"/api/v1/stock/losses?site={c.production.pk}")
    assert r.status_code == 200
    assert r.json()["count"] == 1 and r.json()["items"][0]["id"] == loss["id"]
    # the agent of the area reads it and may not record one; Koumpentoum's agent: 404
    agent = api_client(world.agent_mbour)
    assert agent.get("/api/v1/stock/losses").json()["count"] == 1
    assert post(agent, "/stock/losses", body).status_code == 403
    other = api_client(world.agent_tc)
    assert other.get("/api/v1/stock/losses").json()["count"] == 0
    assert post(other, "/stock/losses", body).status_code == 404


def test_count_moves_the_difference_and_a_closed_day_is_refused(world, api_client):
    c = chain(world)
    _m, flour = flour_at_shop(c)
    sale = sell(c, flour, quantity=2)  # 48 kg left at the shop
    api = api_client(c.cashier)
    today = timezone.localdate()
    body = {"site": c.shop.pk, "lot": flour.pk, "counted": 45, "on": DAY.isoformat()}
    r = post(api, "/stock/counts", body)
    assert r.status_code == 201, r.json()
    assert r.json() == {
        "site": c.shop.pk,
        "lot": flour.pk,
        "counted": 45,
        "difference": -3,
        "on": DAY.isoformat(),
    }
    assert level(c.shop, flour) == 45
    r = post(api, "/stock/counts", body)  # the same count again moves nothing
    assert r.status_code == 201 and r.json()["difference"] == 0
    assert api.get(f"/api/v1/stock/counts?lot={flour.pk}").json()["count"] == 1
    closed_on = timezone.localtime(sale.sold_at).date()
    services.till_close(actor=c.cashier, till=sale.till, on=closed_on, counted_cash=1200)
    before = StockMovement.objects.count()
    for bad, status, code in (
        ({"on": closed_on.isoformat(), "counted": 40}, 409, "day_closed"),
        ({"counted": -1}, 400, "invalid_quantity"),
    ):
        r = post(api, "/stock/counts", {**body, **bad})
        assert (r.status_code, r.json()["code"]) == (status, code), r.json()
    assert StockMovement.objects.count() == before
    next_day = closed_on + datetime.timedelta(days=1)
    if next_day <= today:
        r = post(api, "/stock/counts", {**body, "on": next_day.isoformat(), "counted": 40})
        assert r.status_code == 201 and r.json()["difference"] == -5
    # another area's site: 404; the area's agent sees it and may not count: 403; the
    # producer's officer does not see the shop run by another cooperative: 404
    assert post(api_client(world.agent_tc), "/stock/counts", body).status_code == 404
    assert post(api_client(world.agent_mbour), "/stock/counts", body).status_code == 403
    assert post(api_client(c.officer_mbour), "/stock/counts", body).status_code == 404


def test_settlement_statement_lists_the_sale_lines_paid(world, api_client):
    c = chain(world)
    _m, flour = flour_at_shop(c)
    sell(c, flour, quantity=2, unit_price=600)
    sale = sell(c, flour, quantity=3, unit_price=700)
    api = api_client(c.cashier)
    r = post(
        api,
        "/shop/settlements",
        {
            "site": c.shop.pk,
            "cooperative": world.coop_mbour.pk,
            "period_from": DAY.isoformat(),
            "period_to": timezone.localdate().isoformat(),
            "paid_on": timezone.localdate().isoformat(),
        },
    )
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    statement = api.get(f"/api/v1/shop/settlements/{pk}").json()
    assert (statement["gross"], statement["commission"], statement["net"]) == (3300, 330, 2970)
    assert [(ln["quantity"], ln["unit_price"], ln["amount"]) for ln in statement["lines"]] == [
        (2, 600, 1200),
        (3, 700, 2100),
    ]
    assert statement["lines"][1]["receipt_number"] == sale.receipt_number
    assert statement["lines"][1]["code"] == flour.code
    line = statement["lines"][1]
    assert (line["sale"], line["lot"], line["product"]) == (sale.pk, flour.pk, flour.product.name)
    assert statement["site"] and statement["cooperative"] == world.coop_mbour.pk
    # the depositor's officer reads it; another area's agent gets 404
    assert api_client(c.officer_mbour).get(f"/api/v1/shop/settlements/{pk}").status_code == 200
    r = api_client(world.agent_tc).get(f"/api/v1/shop/settlements/{pk}")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
