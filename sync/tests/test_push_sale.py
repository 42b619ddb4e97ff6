"""A shop sale made offline (issue 19 point 3): pushed as a ``sale`` record, applied through
valuechain's ``sale_record`` with the record's UUID as its ``client_uuid``."""

import datetime

from django.utils import timezone

from sync.services import records_push, snapshot_take
from sync.tests.conftest import new_uuid
from valuechain.models import Sale, StockLevel
from valuechain.tests.factories import chain, flour_at_shop, sell


def push(user, *records, device="till-phone"):
    user = type(user).objects.get(pk=user.pk)
    return records_push(actor=user, device=device, records=list(records))


def sale(c, lot, *, quantity=2, unit_price=600, uuid=None):
    sold_at = timezone.now() - datetime.timedelta(hours=2)
    data = {
        "site": c.shop.pk,
        "sold_at": sold_at.isoformat(),
        "lines": [{"lot": lot.pk, "quantity": quantity, "unit_price": unit_price}],
        "payments": [{"channel": "cash", "amount": quantity * unit_price}],
    }
    return {"uuid": uuid or new_uuid(), "kind": "sale", "base_version": None, "data": data}


def level(site, lot) -> int:
    return StockLevel.objects.get(site=site, lot=lot).quantity


def test_the_same_sale_twice_is_written_once(world):
    c = chain(world)
    _millet, flour = flour_at_shop(c)
    record = sale(c, flour)
    [first] = push(c.cashier, record)
    assert first["status"] == "applied", first
    [again] = push(c.cashier, record)
    assert (again["status"], again["id"]) == ("duplicate", first["id"])
    [once, twice] = push(c.cashier, *[sale(c, flour, quantity=1)] * 2)
    assert (once["status"], twice["status"]) == ("applied", "duplicate")
    sold = Sale.objects.get(pk=first["id"])
    assert str(sold.client_uuid) == record["uuid"]
    assert (sold.total, sold.created_by) == (1200, c.cashier)
    assert Sale.objects.count() == 2
    assert level(c.shop, flour) == 50 - 2 - 1


def test_a_sale_the_till_already_sent_is_not_written_again(world):
    """The till page and the field app share the sale's UUID: whichever arrives second
    answers the first sale."""
    c = chain(world)
    _millet, flour = flour_at_shop(c)
    record = sale(c, flour)
    at_till = sell(c, flour, uid=record["uuid"])
    [answer] = push(c.cashier, record)
    assert (answer["status"], answer["id"]) == ("applied", at_till.pk)
    assert Sale.objects.count() == 1 and level(c.shop, flour) == 48


def test_a_sale_out_of_scope_is_refused_with_its_code(world):
    c = chain(world)
    _millet, flour = flour_at_shop(c)
    [unseen] = push(world.agent_tc, sale(c, flour))  # Tambacounda: the Mbour shop is not theirs
    assert (unseen["status"], unseen["code"]) == ("rejected", "not_found")
    [not_theirs] = push(world.agent_mbour, sale(c, flour))  # sees the shop, does not run it
    assert (not_theirs["status"], not_theirs["code"]) == ("rejected", "forbidden")
    [wrong_total] = push(
        c.cashier, {**sale(c, flour), "data": {**sale(c, flour)["data"], "payments": []}}
    )
    assert (wrong_total["status"], wrong_total["code"]) == ("rejected", "payments_mismatch")
    assert not Sale.objects.exists() and level(c.shop, flour) == 50


def test_a_refused_sale_corrected_is_sent_again_under_its_uuid(world):
    c = chain(world)
    _millet, flour = flour_at_shop(c)
    record = sale(c, flour)
    bad = {**record, "data": {**record["data"], "sold_at": "2999-01-01T10:00:00+00:00"}}
    [refused] = push(c.cashier, bad)
    assert refused["status"] == "rejected" and refused["code"]
    [applied] = push(c.cashier, record)
    assert applied["status"] == "applied"
    assert Sale.objects.get().client_uuid.hex == record["uuid"].replace("-", "")


def test_the_shops_the_user_sells_at_are_pulled_with_their_stock(world, today):
    c = chain(world)
    _millet, flour = flour_at_shop(c)
    cashier = type(c.cashier).objects.get(pk=c.cashier.pk)
    shops = [r for r in snapshot_take(actor=cashier, today=today)["records"] if r["kind"] == "shop"]
    assert [s["id"] for s in shops] == [c.shop.pk]
    [line] = shops[0]["data"]["stock"]
    assert (line["lot"], line["product"], line["quantity"]) == (flour.pk, "Farine de mil", 50)
    agent = type(world.agent_mbour).objects.get(pk=world.agent_mbour.pk)
    pulled = snapshot_take(actor=agent, today=today)["records"]
    assert not [r for r in pulled if r["kind"] == "shop"]  # sees it, does not sell there
