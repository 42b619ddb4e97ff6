"""Goods bought outright (issue 17, point 5): the transfer into the shop carries the
supplier's invoice, posted in both books (the shop 6011/401, the supplier 411/7021), paid
once (401 and 411 back to zero), printable as a PDF; the stock enters the shop as a
movement; sales of these goods are the shop's 7011."""

import pytest
from django.utils import timezone

from core.errors import Conflict, Forbidden, ValidationFailed
from ledger.models import JournalEntry, JournalLine
from valuechain import services
from valuechain.invoices import invoice_html
from valuechain.models import PurchaseInvoice, StockLevel, StockMovement, Transfer
from valuechain.selectors import stock_sum_of_movements
from valuechain.tests.factories import DAY, chain, flour_at_shop, sell

pytestmark = pytest.mark.django_db
JSON = "application/json"


def lines(source):
    entry = JournalEntry.objects.get(source=source)
    return entry.cooperative, sorted(
        (ln.account.code, ln.debit, ln.credit) for ln in entry.lines.all()
    )


def balance(coop, account) -> int:
    rows = JournalLine.objects.filter(entry__cooperative=coop, account__code=account)
    return sum(r.debit - r.credit for r in rows)


def buy(c, flour, *, quantity=20, unit_price=550):
    return services.stock_transfer(
        actor=c.officer_mbour,
        lot=flour,
        quantity=quantity,
        from_site=c.production,
        to_site=c.shop,
        on=DAY,
        terms="outright",
        unit_price=unit_price,
    )


def test_outright_purchase_is_invoiced_in_both_books_and_paid_once(world):
    c = chain(world)
    _m, flour = flour_at_shop(c, to_shop=0)  # 80 kg of flour at the production site
    transfer = buy(c, flour)  # 20 kg at 550 F
    invoice = transfer.invoice
    assert (invoice.number, invoice.quantity, invoice.unit_price, invoice.amount) == (
        1,
        20,
        550,
        11000,
    )
    assert (invoice.supplier, invoice.buyer) == (world.coop_mbour, c.shop_coop)
    assert lines("valuechain.purchase_invoice_received") == (
        c.shop_coop,
        [("401", 0, 11000), ("6011", 11000, 0)],
    )
    assert lines("valuechain.purchase_invoice_issued") == (
        world.coop_mbour,
        [("411", 11000, 0), ("7021", 0, 11000)],
    )
    # the stock entered the shop as a movement; each level equals its movements
    for site, qty in ((c.shop, 20), (c.production, 60)):
        assert StockLevel.objects.get(site=site, lot=flour).quantity == qty
        assert stock_sum_of_movements(site=site, lot=flour) == qty
    assert StockMovement.objects.filter(site=c.shop, transfer=transfer, kind="transfer_in").count()
    # a second purchase: the supplier's next number
    assert buy(c, flour, quantity=5, unit_price=600).invoice.number == 2
    # paid by the shop: 401 and 411 of this invoice back to zero
    with pytest.raises(Forbidden):  # the supplier does not pay its own invoice
        services.purchase_invoice_pay(actor=c.officer_mbour, invoice=invoice, paid_on=DAY)
    services.purchase_invoice_pay(actor=c.cashier, invoice=invoice, paid_on=DAY)
    assert lines("valuechain.purchase_invoice_paid") == (
        c.shop_coop,
        [("401", 11000, 0), ("5711", 0, 11000)],
    )
    assert lines("valuechain.purchase_invoice_cashed") == (
        world.coop_mbour,
        [("411", 0, 11000), ("5711", 11000, 0)],
    )
    assert balance(c.shop_coop, "401") == -3000  # the second invoice, unpaid
    assert balance(world.coop_mbour, "411") == 3000
    with pytest.raises(Conflict) as e:
        services.purchase_invoice_pay(actor=c.cashier, invoice=invoice, paid_on=DAY)
    assert e.value.code == "already_paid"
    # every entry balances
    for entry in JournalEntry.objects.filter(source__startswith="valuechain.purchase"):
        rows = list(entry.lines.all())
        assert sum(r.debit for r in rows) == sum(r.credit for r in rows)
    # sold at the shop: goods bought for resale, 7011 (not 471: nothing owed on consignment)
    sale = sell(c, flour, quantity=2, unit_price=700)
    _coop, sold = lines("valuechain.sale")
    assert ("7011", 0, 1400) in sold and sale.lines.get().consignor_id is None


def test_outright_purchase_needs_a_price_and_two_cooperatives(world):
    c = chain(world)
    _m, flour = flour_at_shop(c, to_shop=0)
    before = (Transfer.objects.count(), StockMovement.objects.count(), JournalEntry.objects.count())
    for price in (None, 0, -5, "600"):
        with pytest.raises(ValidationFailed) as e:
            buy(c, flour, unit_price=price)
        assert e.value.code == "invalid_price"
    own_shop = services.site_create(
        actor=world.national,
        name="Boutique de l'unité",
        kind="temoin",
        commune=world.mbour,
        cooperative=world.coop_mbour,
        value_chain=c.chain,
    )
    with pytest.raises(ValidationFailed) as e:
        services.stock_transfer(
            actor=c.officer_mbour,
            lot=flour,
            quantity=5,
            from_site=c.production,
            to_site=own_shop,
            on=DAY,
            terms="outright",
            unit_price=500,
        )
    assert e.value.code == "invalid" and "différentes" in str(e.value.message)
    after = (Transfer.objects.count(), StockMovement.objects.count(), JournalEntry.objects.count())
    assert after == before and not PurchaseInvoice.objects.exists()


def test_outright_through_the_api_and_the_printable_invoice(world, api_client, client):
    c = chain(world)
    _m, flour = flour_at_shop(c, to_shop=0)
    body = {
        "lot": flour.pk,
        "quantity": 10,
        "from_site": c.production.pk,
        "to_site": c.shop.pk,
        "on": DAY.isoformat(),
        "terms": "outright",
    }
    producer = api_client(c.officer_mbour)
    r = producer.post("/api/v1/stock/transfers", body, content_type=JSON)
    assert r.status_code == 400 and r.json()["code"] == "invalid_price"
    r = producer.post("/api/v1/stock/transfers", {**body, "unit_price": 500}, content_type=JSON)
    assert r.status_code == 201, r.json()
    pk = r.json()["invoice"]
    shop = api_client(c.cashier)
    got = shop.get(f"/api/v1/shop/purchases/{pk}").json()
    assert (got["amount"], got["paid_on"], got["supplier"]) == (5000, None, world.coop_mbour.pk)
    assert shop.get(f"/api/v1/shop/purchases?site={c.shop.pk}").json()["count"] == 1
    today = timezone.localdate().isoformat()
    pay = f"/api/v1/shop/purchases/{pk}/pay"
    assert producer.post(pay, {"paid_on": today}, content_type=JSON).status_code == 403
    r = shop.post(pay, {"paid_on": today, "channel": "mobile_money"}, content_type=JSON)
    assert r.status_code == 200 and r.json()["channel"] == "mobile_money"
    r = shop.post(pay, {"paid_on": today}, content_type=JSON)
    assert r.status_code == 409 and r.json()["code"] == "already_paid"
    assert api_client(world.agent_tc).get(f"/api/v1/shop/purchases/{pk}").status_code == 404
    invoice = PurchaseInvoice.objects.get(pk=pk)
    html = invoice_html(invoice=invoice)
    for text in (c.shop_coop.name, world.coop_mbour.name, flour.code, "5\u202f000", "Payée le"):
        assert text in html, text
    client.force_login(c.cashier)
    r = client.get(f"/filiere/factures/{pk}/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert f"/filiere/factures/{pk}/" in client.get(f"/filiere/sites/{c.shop.pk}/").content.decode()
    client.force_login(world.agent_tc)
    assert client.get(f"/filiere/factures/{pk}/").status_code == 404
