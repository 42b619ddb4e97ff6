"""The ``sale`` purpose (issue 18, point 1): a shop sale's awaited mobile-money part paid
through payments. The provider's success, applied by payments, confirms the sale's
payment once in the shop's MM journal; a different amount is refused and posts nothing."""

import pytest

from ledger.models import JournalEntry
from payments import purposes
from payments.models import PaymentIntent
from payments.providers.base import SUCCEEDED, PaymentState
from payments.services import payment_state_apply
from valuechain.tests.factories import chain, flour_at_shop, sell

pytestmark = pytest.mark.django_db


def paid(intent, amount=None):
    state = PaymentState(
        status=SUCCEEDED,
        reference=intent.reference,
        amount=intent.amount if amount is None else amount,
        currency="XOF",
        transaction_id=f"T-{intent.reference}",
    )
    return payment_state_apply(intent_id=intent.pk, state=state, source="test")


def intent_for(sale, actor, amount, reference):
    return PaymentIntent.objects.create(
        purpose="sale",
        target_id=sale.pk,
        amount=amount,
        phone="+221771234567",
        provider="wave",
        reference=reference,
        created_by=actor,
        cooperative_id=sale.cooperative_id,
    )


def test_a_paid_sale_is_confirmed_once_in_the_shops_mm_journal(world):
    c = chain(world)
    _m, flour = flour_at_shop(c)
    sale = sell(c, flour, quantity=2, unit_price=600, channel="mobile_money")
    handler = purposes.get("sale")
    assert handler.target_for(target_id=sale.pk, actor=c.cashier).amount_due == 1200
    confirmed = JournalEntry.objects.filter(source="valuechain.sale_mobile_money")

    short = intent_for(sale, c.cashier, 1000, "SALE-SHORT")
    assert paid(short) == "refused_by_purpose"  # 1,000 F for 1,200 F awaited
    short.refresh_from_db()
    assert short.needs_review and not confirmed.exists()

    intent = intent_for(sale, c.cashier, 1200, "SALE-OK")
    assert paid(intent) == "applied"
    assert paid(intent) == "already_applied"
    intent.refresh_from_db()
    assert intent.applied_ref == f"sale:{sale.pk}"
    entry = confirmed.get()
    assert (entry.cooperative_id, entry.journal.code) == (sale.cooperative_id, "MM")
    assert handler.target_for(target_id=sale.pk, actor=c.cashier).amount_due == 0
