"""The purchasing services: two-level orders, closing, receipt with shortfalls, invoices,
postings, delivery, payments (cash and an input loan), quotes, prices; bad input."""

import datetime

import pytest
from django.db.models import Sum

from core.errors import Conflict, Forbidden, ValidationFailed
from ledger.models import JournalEntry, JournalLine
from purchasing import services
from purchasing.models import (
    Allocation,
    CampaignStatus,
    InvoiceStatus,
    MarketPrice,
    Order,
    StockMovement,
    SupplierInvoice,
)
from purchasing.tests.factories import TODAY, market

pytestmark = pytest.mark.django_db
CLOSE_ON = datetime.date(2026, 3, 21)
RECEIVE_ON = datetime.date(2026, 3, 25)


@pytest.fixture
def m(world):
    return market(world)


def place(m, officer, coop, lines):
    return services.order_place(
        actor=officer, campaign=m.campaign, cooperative=coop, lines=lines, today=TODAY
    )


def both_order(world, m):
    place(m, m.officer_mbour, world.coop_mbour, [(m.rice, 8, 4), (m.seed, 30, 10)])
    place(m, m.officer_thies, world.coop_thies, [(m.rice, 9, 3), (m.seed, 12, 5)])


def balanced(coop):
    agg = JournalLine.objects.filter(cooperative=coop).aggregate(d=Sum("debit"), c=Sum("credit"))
    return agg["d"] == agg["c"]


def test_close_applies_the_rule_oldest_order_first(world, m):
    both_order(world, m)
    results = services.campaign_close(actor=world.agent_th, campaign=m.campaign, on=CLOSE_ON)
    got = {o.pk: (r.packs, r.allocations) for o, r in results}
    assert got[m.rice.pk] == (2, {world.coop_mbour.pk: 11, world.coop_thies.pk: 9})
    assert got[m.seed.pk] == (2, {world.coop_mbour.pk: 38, world.coop_thies.pk: 12})
    m.campaign.refresh_from_db()
    assert m.campaign.status == CampaignStatus.CLOSED
    assert Allocation.objects.filter(stage="closing").count() == 4


def test_a_second_order_replaces_lines_and_keeps_its_place(world, m):
    place(m, m.officer_mbour, world.coop_mbour, [(m.rice, 8, 4)])
    place(m, m.officer_thies, world.coop_thies, [(m.rice, 9, 3)])
    first = Order.objects.get(cooperative=world.coop_mbour).placed_at
    place(m, m.officer_mbour, world.coop_mbour, [(m.rice, 3, 0)])
    order = Order.objects.get(cooperative=world.coop_mbour)
    assert order.placed_at == first
    assert [(ln.quantity, ln.tolerance) for ln in order.lines.all()] == [(3, 0)]
    results = services.campaign_close(actor=world.agent_th, campaign=m.campaign, on=CLOSE_ON)
    rice = dict((o.pk, r) for o, r in results)[m.rice.pk]
    # Q 12, T 3: one pack; Mbour, still the oldest order, gets its 3 first
    assert rice.allocations == {world.coop_mbour.pk: 3, world.coop_thies.pk: 7}


def test_orders_after_closing_are_409(world, m):
    both_order(world, m)
    services.campaign_close(actor=world.agent_th, campaign=m.campaign, on=CLOSE_ON)
    with pytest.raises(Conflict) as exc:
        place(m, m.officer_mbour, world.coop_mbour, [(m.rice, 1, 0)])
    assert exc.value.code == "campaign_closed"
    with pytest.raises(Conflict):
        services.order_place(
            actor=m.officer_mbour,
            campaign=m.campaign,
            cooperative=world.coop_mbour,
            lines=[(m.rice, 1, 0)],
            today=datetime.date(2026, 3, 21),
        )


def test_after_the_closing_date_orders_are_refused(world, m):
    with pytest.raises(Conflict) as exc:
        services.order_place(
            actor=m.officer_mbour,
            campaign=m.campaign,
            cooperative=world.coop_mbour,
            lines=[(m.rice, 1, 0)],
            today=datetime.date(2026, 3, 21),
        )
    assert exc.value.code == "campaign_closed"
    assert not Order.objects.exists()


def test_a_cooperative_outside_the_group_cannot_order(world, m):
    with pytest.raises(Conflict) as exc:
        services.order_place(
            actor=world.national,
            campaign=m.campaign,
            cooperative=world.coop_tc,
            lines=[(m.rice, 5, 0)],
            today=TODAY,
        )
    assert exc.value.code == "not_in_group"


def test_an_officer_orders_for_their_own_cooperative_only(world, m):
    with pytest.raises(Forbidden):
        place(m, m.officer_thies, world.coop_mbour, [(m.rice, 5, 0)])
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    "quantity,tolerance,field",
    [(0, 0, "lines.0.quantity"), (-3, 0, "lines.0.quantity"), (5, 10, "lines.0.tolerance")],
)
def test_bad_quantities_and_tolerances_write_nothing(world, m, quantity, tolerance, field):
    with pytest.raises(ValidationFailed) as exc:
        place(m, m.officer_mbour, world.coop_mbour, [(m.rice, quantity, tolerance)])
    assert exc.value.field == field
    assert str(exc.value.message)
    assert not Order.objects.exists()
    place(m, m.officer_mbour, world.coop_mbour, [(m.rice, 5, 9)])  # the good input
    assert Order.objects.count() == 1


def test_a_price_of_zero_is_refused(world, m):
    with pytest.raises(ValidationFailed) as exc:
        services.offer_add(
            actor=world.agent_th,
            campaign=m.campaign,
            product=m.rice.product,
            supplier=m.supplier,
            pack_size=10,
            unit_price=0,
        )
    assert exc.value.field == "unit_price"
    offer = services.offer_add(
        actor=world.agent_th,
        campaign=m.campaign,
        product=m.rice.product,
        supplier=m.supplier,
        pack_size=10,
        unit_price=1,
    )
    assert offer.unit_price == 1


def test_a_closed_campaign_cannot_be_edited(world, m):
    services.campaign_close(actor=world.agent_th, campaign=m.campaign, on=CLOSE_ON)
    with pytest.raises(Conflict) as exc:
        services.offer_add(
            actor=world.agent_th,
            campaign=m.campaign,
            product=m.rice.product,
            supplier=m.supplier,
            pack_size=10,
            unit_price=100,
        )
    assert exc.value.code == "campaign_closed"


def receive(world, m, rice=(17, 2), seed=(50, 0)):
    return services.campaign_receive(
        actor=world.agent_th,
        campaign=m.campaign,
        on=RECEIVE_ON,
        lines=[(m.rice, *rice), (m.seed, *seed)],
    )


def test_receipt_with_shortfall_reallocates_invoices_and_posts(world, m):
    both_order(world, m)
    services.campaign_close(actor=world.agent_th, campaign=m.campaign, on=CLOSE_ON)
    invoices = receive(world, m)  # rice: 17 arrived, 2 damaged -> 15 to share
    by_coop = {i.cooperative_id: i for i in invoices}
    # Mbour: 8 sacs x 15 000 + 38 kg x 600; Thiès: 7 sacs x 15 000 + 12 kg x 600
    assert by_coop[world.coop_mbour.pk].amount == 8 * 15000 + 38 * 600
    assert by_coop[world.coop_thies.pk].amount == 7 * 15000 + 12 * 600
    # Thiès leads the group: its own share is in the supplier's invoice, settled at issue
    assert by_coop[world.coop_thies.pk].status == InvoiceStatus.PAID
    assert SupplierInvoice.objects.get().amount == 15 * 15000 + 50 * 600
    stock = StockMovement.objects.filter(offer=m.rice).aggregate(s=Sum("quantity"))["s"]
    assert stock == 15
    # postings: the group's books (Thiès) and Mbour's, balanced
    mbour_entry = JournalEntry.objects.get(
        cooperative=world.coop_mbour, source="purchasing.purchase"
    )
    assert {(ln.account.code, ln.debit, ln.credit) for ln in mbour_entry.lines.all()} == {
        ("6021", 142800, 0),
        ("401", 0, 142800),
    }
    assert JournalEntry.objects.filter(cooperative=world.coop_thies).count() == 2
    assert balanced(world.coop_mbour) and balanced(world.coop_thies)
    m.campaign.refresh_from_db()
    assert m.campaign.status == CampaignStatus.RECEIVED


def test_receipt_above_what_was_ordered_is_refused(world, m):
    both_order(world, m)
    services.campaign_close(actor=world.agent_th, campaign=m.campaign, on=CLOSE_ON)
    with pytest.raises(ValidationFailed) as exc:
        receive(world, m, rice=(21, 0))
    assert exc.value.field == "lines.0.received"
    assert not StockMovement.objects.exists() and not JournalEntry.objects.exists()
    with pytest.raises(ValidationFailed):
        receive(world, m, rice=(5, 6))  # more damaged than received
    with pytest.raises(Conflict) as exc:  # twice
        receive(world, m)
        receive(world, m)
    assert exc.value.code == "campaign_not_closed"


def test_delivery_takes_stock_out_by_movements(world, m):
    both_order(world, m)
    services.campaign_close(actor=world.agent_th, campaign=m.campaign, on=CLOSE_ON)
    receive(world, m)
    delivery = services.delivery_record(
        actor=world.agent_th,
        campaign=m.campaign,
        cooperative=world.coop_mbour,
        on=RECEIVE_ON,
        received_by="Awa Diop",
    )
    assert delivery.signed_at is not None
    left = StockMovement.objects.filter(offer=m.rice).aggregate(s=Sum("quantity"))["s"]
    assert left == 15 - 8
    with pytest.raises(Conflict):
        services.delivery_record(
            actor=world.agent_th,
            campaign=m.campaign,
            cooperative=world.coop_mbour,
            on=RECEIVE_ON,
            received_by="Awa Diop",
        )


def test_paying_an_invoice_posts_in_both_books_once(world, m):
    both_order(world, m)
    services.campaign_close(actor=world.agent_th, campaign=m.campaign, on=CLOSE_ON)
    invoice = next(i for i in receive(world, m) if i.cooperative_id == world.coop_mbour.pk)
    with pytest.raises(Forbidden):
        services.invoice_pay(actor=m.officer_thies, invoice=invoice, on=RECEIVE_ON, channel="cash")
    with pytest.raises(ValidationFailed):
        services.invoice_pay(actor=m.officer_mbour, invoice=invoice, on=RECEIVE_ON, channel="gold")
    services.invoice_pay(actor=m.officer_mbour, invoice=invoice, on=RECEIVE_ON, channel="cash")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    paid = JournalEntry.objects.get(
        cooperative=world.coop_mbour, source="purchasing.purchase_payment"
    )
    assert paid.journal.code == "CA"
    assert JournalEntry.objects.filter(source="purchasing.invoice_paid").count() == 1
    with pytest.raises(Conflict):
        services.invoice_pay(actor=m.officer_mbour, invoice=invoice, on=RECEIVE_ON, channel="cash")
    assert balanced(world.coop_mbour) and balanced(world.coop_thies)


def test_paying_on_credit_is_an_input_loan_with_maker_checker(world, m):
    from credit import services as credit
    from credit.models import LoanStatus

    both_order(world, m)
    services.campaign_close(actor=world.agent_th, campaign=m.campaign, on=CLOSE_ON)
    invoice = next(i for i in receive(world, m) if i.cooperative_id == world.coop_mbour.pk)
    product = credit.loan_product_create(
        actor=world.national,
        lender=world.lender_obj,
        name="Crédit intrants",
        annual_rate="12",
        term_months=6,
        on=datetime.date(2026, 1, 1),
    )
    with pytest.raises(Forbidden):  # an officer does not enter loans
        services.invoice_finance(
            actor=m.officer_mbour, invoice=invoice, product=product, on=RECEIVE_ON
        )
    services.invoice_finance(actor=world.lender, invoice=invoice, product=product, on=RECEIVE_ON)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.FINANCED
    loan = invoice.loan
    assert (loan.principal, loan.borrower_cooperative_id) == (invoice.amount, world.coop_mbour.pk)
    with pytest.raises(Conflict) as exc:
        services.invoice_pay(
            actor=m.officer_mbour, invoice=invoice, on=RECEIVE_ON, channel="credit"
        )
    assert exc.value.code == "loan_not_disbursed"
    with pytest.raises(Conflict):  # maker-checker: not by the one who entered it
        credit.loan_approve(actor=world.lender, loan=loan, on=RECEIVE_ON)
    credit.loan_approve(actor=world.national, loan=loan, on=RECEIVE_ON)
    loan.refresh_from_db()
    credit.loan_disburse(actor=world.lender, loan=loan, on=RECEIVE_ON, channel="bank")
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACTIVE
    services.invoice_pay(actor=m.officer_mbour, invoice=invoice, on=RECEIVE_ON, channel="credit")
    paid = JournalEntry.objects.get(
        cooperative=world.coop_mbour, source="purchasing.purchase_payment"
    )
    assert paid.journal.code == "BQ"
    assert balanced(world.coop_mbour)


def test_the_supplier_is_paid_from_the_groups_books(world, m):
    both_order(world, m)
    services.campaign_close(actor=world.agent_th, campaign=m.campaign, on=CLOSE_ON)
    receive(world, m)
    si = SupplierInvoice.objects.get()
    with pytest.raises(Forbidden):
        services.supplier_invoice_pay(
            actor=m.officer_mbour, supplier_invoice=si, on=RECEIVE_ON, channel="bank"
        )
    services.supplier_invoice_pay(
        actor=world.agent_th, supplier_invoice=si, on=RECEIVE_ON, channel="bank"
    )
    entry = JournalEntry.objects.get(source="purchasing.supplier_payment")
    assert entry.cooperative_id == world.coop_thies.pk
    assert balanced(world.coop_thies)


def test_supplier_choice_needs_three_quotes(world, m):
    other = [
        services.supplier_create(actor=world.agent_th, name=f"Fournisseur {i}") for i in range(2)
    ]
    quotes = []
    for i, supplier in enumerate([m.supplier, *other]):
        quotes.append(
            services.quote_record(
                actor=world.agent_th,
                group=m.group,
                product=m.rice.product,
                supplier=supplier,
                unit_price=15000 + 500 * i,
                pack_size=10,
                received_on=TODAY,
            )
        )
        if i == 1:
            with pytest.raises(Conflict) as exc:
                services.supplier_choose(
                    actor=world.agent_th,
                    group=m.group,
                    quote=quotes[0],
                    reason="Moins cher",
                    on=TODAY,
                )
            assert exc.value.code == "too_few_quotes"
    choice = services.supplier_choose(
        actor=world.agent_th, group=m.group, quote=quotes[0], reason="Moins cher", on=TODAY
    )
    assert choice.reason == "Moins cher"


def test_campaign_copy_for_the_next_season(world, m):
    copy = services.campaign_copy(
        actor=world.agent_th,
        campaign=m.campaign,
        name="Hivernage 2027",
        opens_on=datetime.date(2027, 3, 1),
        closes_on=datetime.date(2027, 3, 20),
    )
    assert copy.copied_from == m.campaign
    assert [
        (o.product_id, o.pack_size, o.unit_price, o.min_packs) for o in copy.offers.order_by("id")
    ] == [
        (o.product_id, o.pack_size, o.unit_price, o.min_packs)
        for o in m.campaign.offers.order_by("id")
    ]


def test_needs_of_members_sum_to_the_order(world, m):
    a, b, _c = world.persons_mbour
    order = services.order_place_from_needs(
        actor=m.officer_mbour,
        campaign=m.campaign,
        cooperative=world.coop_mbour,
        needs=[(a, m.rice, 3), (b, m.rice, 4), (a, m.seed, 10)],
        tolerances={m.rice.pk: 2},
        today=TODAY,
    )
    lines = {ln.offer_id: (ln.quantity, ln.tolerance) for ln in order.lines.all()}
    assert lines == {m.rice.pk: (7, 2), m.seed.pk: (10, 0)}
    assert order.needs.count() == 3
    with pytest.raises(ValidationFailed):
        services.order_place_from_needs(
            actor=m.officer_mbour,
            campaign=m.campaign,
            cooperative=world.coop_mbour,
            needs=[(world.persons_thies[0], m.rice, 3)],
            today=TODAY,
        )


def test_market_prices_are_recorded_by_agents_of_the_area(world, m):
    from geo.models import Area

    mbour = Area.objects.get(code="SN-TH-MBO")
    p = services.market_price_record(
        actor=world.agent_th, product=m.rice.product, area=mbour, price=17000, observed_on=TODAY
    )
    assert p.price == 17000
    with pytest.raises(Forbidden):
        services.market_price_record(
            actor=world.agent_tc, product=m.rice.product, area=mbour, price=17000, observed_on=TODAY
        )
    with pytest.raises(ValidationFailed) as exc:
        services.market_price_record(
            actor=world.agent_th, product=m.rice.product, area=mbour, price=0, observed_on=TODAY
        )
    assert exc.value.field == "price"
    with pytest.raises(ValidationFailed) as exc:
        services.market_price_record(
            actor=world.agent_th,
            product=m.rice.product,
            area=mbour,
            price=100,
            observed_on=datetime.date(2999, 1, 1),
        )
    assert exc.value.code == "date_out_of_range"
    assert MarketPrice.objects.count() == 1
