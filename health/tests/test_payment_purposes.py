"""The ``contribution`` purpose (issue 18, point 1): a household's contribution paid by
phone through payments. The provider's success, applied by payments, records the
contribution once on the channel mobile money and posts it once in the mutual's books."""

import datetime

import pytest

from core.errors import NotFound
from health.models import Contribution
from health.tests.factories import enrolled, national_user, scheme_of_example
from ledger.models import HolderEntry
from payments import purposes
from payments.models import PaymentIntent
from payments.providers.base import SUCCEEDED, PaymentState
from payments.services import payment_state_apply

pytestmark = pytest.mark.django_db


def test_a_paid_contribution_is_recorded_and_posted_once(world):
    scheme = scheme_of_example(national_user())
    household = enrolled(world.officer, scheme, world.coop_tc, 4, on=datetime.date(2026, 1, 1))
    handler = purposes.get("contribution")
    due = handler.target_for(target_id=household.pk, actor=world.officer).amount_due
    assert due > 16_600
    with pytest.raises(NotFound):
        handler.target_for(target_id=household.pk, actor=world.agent_th)
    intent = PaymentIntent.objects.create(
        purpose="contribution",
        target_id=household.pk,
        amount=16_600,
        phone="+221771234567",
        provider="wave",
        reference="HEALTH-1",
        created_by=world.officer,
        cooperative_id=world.coop_tc.pk,
    )
    state = PaymentState(status=SUCCEEDED, reference="HEALTH-1", amount=16_600, currency="XOF")
    assert payment_state_apply(intent_id=intent.pk, state=state, source="test") == "applied"
    assert payment_state_apply(intent_id=intent.pk, state=state, source="again") == (
        "already_applied"
    )
    contribution = Contribution.objects.get(household=household)
    assert (contribution.amount, contribution.channel, contribution.reference) == (
        16_600,
        "mobile_money",
        "HEALTH-1",
    )
    intent.refresh_from_db()
    assert intent.applied_ref == f"contribution:{contribution.pk}"
    posted = HolderEntry.objects.filter(source="health_contribution")
    assert posted.count() == 1
    assert contribution.joining_fees + contribution.months_amount > 0
    # less is payable now (what stays: up to twelve months ahead of the new coverage)
    assert 0 < handler.target_for(target_id=household.pk, actor=world.officer).amount_due < due
