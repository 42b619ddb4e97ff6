"""payment_start: the purpose finds the target in the actor's scope, amounts and phones are
checked, the checkout is opened at the provider (the Wave sandbox, over real HTTP)."""

from __future__ import annotations

import pytest

from core.errors import Conflict, NotFound, ValidationFailed
from payments.models import PaymentIntent
from payments.providers.base import ProviderUnavailable
from payments.tests.conftest import start

pytestmark = pytest.mark.django_db


def test_a_member_starts_a_payment_of_her_loan_and_gets_the_wave_checkout(credit, wave):
    intent = start(credit)
    assert intent.status == "pending"
    assert intent.phone == "+221771234567"
    assert intent.amount == 50_000 and intent.currency == "XOF"
    assert intent.checkout_url.startswith(wave.url + "/c/")
    session = wave.sessions[intent.provider_session_id]
    assert session["client_reference"] == intent.reference
    assert session["amount"] == "50000"
    assert session["success_url"].endswith(f"/paiements/retour/{intent.reference}/?issue=ok")
    assert intent.cooperative_id == credit.loan_person.cooperative_id
    assert intent.person_id == credit.w.persons_tc[0].pk
    assert intent.history.count() == 2  # created, then the checkout recorded


def test_a_loan_outside_the_actors_scope_is_not_found_and_nothing_is_written(credit, wave):
    with pytest.raises(NotFound):
        start(credit, actor=credit.w.member, loan=credit.loan_other)
    with pytest.raises(NotFound):
        start(credit, actor=credit.w.agent_th, loan=credit.loan_tc)
    assert PaymentIntent.objects.count() == 0


@pytest.mark.parametrize("amount", [0, -5, 10**12, "100", 12.5, True])
def test_amounts_must_be_whole_francs_within_what_is_payable(credit, wave, amount):
    with pytest.raises(ValidationFailed) as err:
        start(credit, amount=amount)
    assert err.value.field == "amount"
    assert PaymentIntent.objects.count() == 0


def test_more_than_the_loan_can_take_is_refused(credit, wave):
    with pytest.raises(ValidationFailed) as err:
        start(credit, amount=5_000_000)
    assert err.value.code == "out_of_range"


@pytest.mark.parametrize("phone", ["", "123", "+33 6 12 34 56 78 99 99", "abc\x00"])
def test_a_bad_phone_is_refused(credit, wave, phone):
    with pytest.raises(ValidationFailed) as err:
        start(credit, phone=phone)
    assert err.value.field == "phone"


def test_unknown_purpose_and_provider_are_refused(credit, wave):
    with pytest.raises(ValidationFailed) as err:
        start(credit, purpose="lottery")
    assert err.value.code == "unknown_purpose"
    with pytest.raises(ValidationFailed) as err:
        start(credit, provider="paypal")
    assert err.value.code == "unknown_provider"


def test_a_closed_loan_has_nothing_due(credit, wave):
    credit.loan_person.status = "closed"
    credit.loan_person.save(update_fields=["status"])
    with pytest.raises(Conflict) as err:
        start(credit)
    assert err.value.code == "nothing_due"


def test_a_provider_that_does_not_answer_closes_the_intent_as_failed(credit, wave, settings):
    settings.WAVE_BASE_URL = "http://127.0.0.1:9"  # discard port: connection refused
    with pytest.raises(ProviderUnavailable) as err:
        start(credit)
    assert err.value.status == 503
    intent = PaymentIntent.objects.get()
    assert intent.status == "failed" and intent.review_reason == "provider_unavailable"


def test_a_wrong_api_key_is_a_provider_error_and_the_key_is_not_in_the_message(
    credit, wave, settings, caplog
):
    settings.WAVE_API_KEY = "wrong-secret-key"
    with pytest.raises(ProviderUnavailable) as err:
        start(credit)
    assert "wrong-secret-key" not in str(err.value.message)
    assert "wrong-secret-key" not in caplog.text
