"""The ``purchase_invoice`` purpose: an invoice paid by mobile money through payments."""

import datetime

import pytest

from core.errors import Conflict, NotFound
from ledger.models import JournalEntry
from payments import purposes
from payments.models import PaymentIntent
from purchasing import services
from purchasing.models import InvoiceStatus
from purchasing.tests.factories import TODAY, market

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 3, 21)


@pytest.fixture
def invoice(world):
    m = market(world)
    services.order_place(
        actor=m.officer_mbour,
        campaign=m.campaign,
        cooperative=world.coop_mbour,
        lines=[(m.rice, 10, 0)],
        today=TODAY,
    )
    services.campaign_close(actor=world.agent_th, campaign=m.campaign, on=ON)
    [inv] = services.campaign_receive(
        actor=world.agent_th, campaign=m.campaign, on=ON, lines=[(m.rice, 10, 0), (m.seed, 0, 0)]
    )
    inv.officer = m.officer_mbour
    return inv


def test_the_purpose_is_registered_and_scoped(world, invoice):
    handler = purposes.get("purchase_invoice")
    target = handler.target_for(target_id=invoice.pk, actor=invoice.officer)
    assert (target.amount_due, target.cooperative_id) == (150000, world.coop_mbour.pk)
    with pytest.raises(NotFound):
        handler.target_for(target_id=invoice.pk, actor=world.agent_tc)


def test_a_confirmed_payment_settles_the_invoice_in_the_mm_journal_once(world, invoice):
    handler = purposes.get("purchase_invoice")
    intent = PaymentIntent(
        target_id=invoice.pk, amount=150000, created_by=invoice.officer, reference="PAY-1"
    )
    with pytest.raises(Conflict):
        handler.on_succeeded(
            intent=PaymentIntent(target_id=invoice.pk, amount=1, created_by=invoice.officer)
        )
    assert handler.on_succeeded(intent=intent) == f"invoice:{invoice.pk}"
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    entry = JournalEntry.objects.get(
        cooperative=world.coop_mbour, source="purchasing.purchase_payment"
    )
    assert entry.journal.code == "MM"
    assert handler.target_for(target_id=invoice.pk, actor=invoice.officer).amount_due == 0
    with pytest.raises(Conflict):
        handler.on_succeeded(intent=intent)
