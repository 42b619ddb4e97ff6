"""The ``sale`` purpose (docs/valuechain.md, "Payment by phone"): a shop sale whose mobile
money part was awaited is paid by the buyer's phone through payments (the Wave sandbox),
and the signed webhook applies it exactly once (552 D / 411 C in the shop's books)."""

import datetime
import json
import time
import uuid

import pytest
from django.utils import timezone

from core.errors import NotFound
from ledger.models import JournalEntry
from payments import purposes
from payments import services as payments
from payments.providers.wave import sign
from valuechain import services
from valuechain.models import SalePayment
from valuechain.tests.factories import chain, flour_at_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def wave(sandboxes, settings):
    sandbox = sandboxes["wave"].sandbox
    for key, value in sandbox.settings_for(sandbox.url).items():
        setattr(settings, key, value)
    settings.WAVE_WEBHOOK_SECRETS_PREVIOUS = []
    return sandbox


def webhook(client, intent, event_id):
    body = json.dumps(
        {
            "id": event_id,
            "type": "checkout.session.completed",
            "data": {
                "id": intent.provider_session_id,
                "amount": str(intent.amount),
                "currency": "XOF",
                "client_reference": intent.reference,
                "checkout_status": "complete",
                "payment_status": "succeeded",
                "transaction_id": "TX" + event_id,
                "when_completed": timezone.now().isoformat(),
            },
        }
    ).encode()
    return client.post(
        "/api/v1/webhooks/wave",
        data=body,
        content_type="application/json",
        headers={"Wave-Signature": sign("test-wave-secret", body, int(time.time()))},
    )


def test_a_sale_paid_by_phone_is_confirmed_and_posted_once(world, client, wave):
    c = chain(world)
    _m, flour = flour_at_shop(c)
    sale, _ = services.sale_record(
        actor=c.cashier,
        client_uuid=uuid.uuid4(),
        site=c.shop,
        sold_at=timezone.now() - datetime.timedelta(minutes=5),
        lines=[(flour, 3, 700)],
        payments=[("cash", 600, ""), ("mobile_money", 1500, "")],
    )
    awaited = SalePayment.objects.get(sale=sale, channel="mobile_money")
    assert not awaited.confirmed
    handler = purposes.get("sale")
    assert handler.target_for(target_id=sale.pk, actor=c.cashier).amount_due == 1500
    with pytest.raises(NotFound):
        handler.target_for(target_id=sale.pk, actor=world.agent_tc)
    intent = payments.payment_start(
        purpose="sale",
        target_id=sale.pk,
        amount=1500,
        phone="77 123 45 67",
        provider="wave",
        actor=c.cashier,
    )
    assert webhook(client, intent, "AE_SALE_1").json()["outcome"] == "applied"
    assert webhook(client, intent, "AE_SALE_1").json()["outcome"] == "duplicate"
    assert webhook(client, intent, "AE_SALE_2").json()["outcome"] == "already_applied"
    awaited.refresh_from_db()
    assert awaited.confirmed and awaited.reference == intent.reference
    entry = JournalEntry.objects.get(source="valuechain.sale_mobile_money")
    assert entry.cooperative_id == c.shop_coop.pk
    assert {(ln.account.code, ln.debit, ln.credit) for ln in entry.lines.all()} == {
        ("552", 1500, 0),
        ("411", 0, 1500),
    }
    assert handler.target_for(target_id=sale.pk, actor=c.cashier).amount_due == 0
