"""The ``share_payment`` purpose (issue 18, point 1): an approved subscription paid by
phone through payments. The provider's success, applied by payments, carries the
operation out once on the channel mobile money (the cooperative's MM journal); another
amount is refused (flagged for review) and carries nothing out."""

import datetime

import pytest

from capital.models import OperationStatus
from capital.services import share_operation_approve, share_operation_request
from capital.tests.factories import StatutesFactory
from core.errors import NotFound
from ledger.models import JournalEntry
from payments import purposes
from payments.models import PaymentIntent
from payments.providers.base import SUCCEEDED, PaymentState
from payments.services import payment_state_apply

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def operation(world):
    StatutesFactory(cooperative=world.coop_tc, share_value=5000)
    op = share_operation_request(
        actor=world.officer,
        cooperative=world.coop_tc,
        kind="subscription",
        person=world.persons_tc[0],
        shares=4,
        amount=20_000,
        effective_on=TODAY,
        today=TODAY,
    )
    return share_operation_approve(operation=op, actor=world.officer, today=TODAY)


def apply_success(op, actor, amount, reference):
    intent = PaymentIntent.objects.create(
        purpose="share_payment",
        target_id=op.pk,
        amount=amount,
        phone="+221771234567",
        provider="wave",
        reference=reference,
        created_by=actor,
        cooperative_id=op.cooperative_id,
    )
    state = PaymentState(status=SUCCEEDED, reference=reference, amount=amount, currency="XOF")
    return intent, payment_state_apply(intent_id=intent.pk, state=state, source="test")


def test_the_target_is_scoped_and_due_in_one_go(world, operation):
    handler = purposes.get("share_payment")
    assert handler.target_for(target_id=operation.pk, actor=world.officer).amount_due == 20_000
    with pytest.raises(NotFound):
        handler.target_for(target_id=operation.pk, actor=world.agent_th)


def test_a_paid_subscription_is_carried_out_once_in_the_mm_journal(world, operation):
    payments = JournalEntry.objects.filter(source="capital.share_payment")
    short, outcome = apply_success(operation, world.officer, 5_000, "SHARE-SHORT")
    assert outcome == "refused_by_purpose"
    short.refresh_from_db()
    operation.refresh_from_db()
    assert short.needs_review and operation.status == OperationStatus.APPROVED
    assert not payments.exists()

    intent, outcome = apply_success(operation, world.officer, 20_000, "SHARE-OK")
    assert outcome == "applied"
    state = PaymentState(status=SUCCEEDED, reference="SHARE-OK", amount=20_000, currency="XOF")
    assert payment_state_apply(intent_id=intent.pk, state=state, source="again") == (
        "already_applied"
    )
    operation.refresh_from_db()
    assert (operation.status, operation.channel) == (OperationStatus.DONE, "mobile_money")
    entry = payments.get()
    assert (entry.cooperative_id, entry.journal.code) == (world.coop_tc.pk, "MM")
    handler = purposes.get("share_payment")
    assert handler.target_for(target_id=operation.pk, actor=world.officer).amount_due == 0
