"""Payouts: the idempotency key comes from our row (a retry is never paid twice),
maker-checker above the threshold, the status followed to the end (Wave sandbox)."""

from __future__ import annotations

import pytest

from core.errors import Conflict, Forbidden, ValidationFailed
from payments import services
from payments.models import Payout
from payments.providers import get_provider

pytestmark = pytest.mark.django_db


def ask(credit, amount=50_000, phone="775555555", actor=None):
    return services.payout_request(
        kind="settlement",
        provider="wave",
        amount=amount,
        phone=phone,
        name="Fatou Diop",
        reason="Dépôt-vente",
        actor=actor or credit.w.national,
    )


def test_below_the_threshold_it_is_approved_and_sent_once(credit, wave, settings):
    settings.PAYMENTS_PAYOUT_APPROVAL_THRESHOLD = 100_000
    payout = ask(credit)
    assert payout.status == "approved"
    payout = services.payout_send(payout=payout)
    assert payout.status == "succeeded" and payout.provider_payout_id.startswith("pt-")
    assert payout.fee == 500
    with pytest.raises(Conflict):
        services.payout_send(payout=payout)


def test_a_retry_after_a_lost_answer_uses_the_same_key_and_pays_once(credit, wave):
    payout = ask(credit)
    gateway = get_provider("wave")
    args = dict(
        idempotency_key=payout.idempotency_key,
        amount=payout.amount,
        currency="XOF",
        phone=payout.phone,
        name=payout.name,
        reference=payout.reference,
        reason=payout.reason,
    )
    first = gateway.payout(**args)  # the answer "lost" on our side
    again = services.payout_send(payout=payout)
    assert again.provider_payout_id == first.payout_id
    assert payout.idempotency_key == f"sunucoop-payout-{payout.reference}"
    paid = [p for p in wave.payouts.values() if p["client_reference"] == payout.reference]
    assert len(paid) == 1


def test_above_the_threshold_a_second_person_approves(credit, wave, settings):
    settings.PAYMENTS_PAYOUT_APPROVAL_THRESHOLD = 100_000
    from accounts.services import role_assign
    from accounts.tests.factories import UserFactory

    checker = UserFactory(username="national-2")
    role_assign(user=checker, role="national")
    payout = ask(credit, amount=250_000)
    assert payout.status == "awaiting_approval"
    with pytest.raises(Conflict):
        services.payout_send(payout=payout)
    with pytest.raises(Forbidden) as err:
        services.payout_approve(payout=payout, actor=credit.w.national)
    assert err.value.code == "same_person"
    with pytest.raises(Forbidden):
        services.payout_approve(payout=payout, actor=credit.w.officer)
    payout = services.payout_approve(payout=payout, actor=checker)
    assert payout.status == "approved" and payout.approved_by == checker
    assert services.payout_send(payout=payout).status == "succeeded"
    assert payout.history.count() >= 3


def test_a_failed_payout_is_recorded_with_its_error(credit, wave):
    payout = services.payout_send(payout=ask(credit, phone="770000000"))
    assert payout.status == "failed" and payout.error == "recipient-not-found"


def test_a_provider_down_leaves_it_approved_and_follow_sends_it_later(credit, wave, settings):
    url = settings.WAVE_BASE_URL
    settings.WAVE_BASE_URL = "http://127.0.0.1:9"
    payout = services.payout_send(payout=ask(credit))
    assert payout.status == "approved" and payout.attempts == 1
    settings.WAVE_BASE_URL = url
    assert services.payouts_follow() == {"succeeded": 1}
    payout.refresh_from_db()
    assert payout.status == "succeeded" and payout.attempts == 2


@pytest.mark.parametrize(
    "field,value", [("amount", 0), ("amount", 10**12), ("phone", "12"), ("name", ""), ("kind", "x")]
)
def test_bad_requests_are_refused(credit, wave, field, value):
    kwargs = dict(
        kind="settlement",
        provider="wave",
        amount=1000,
        phone="775555555",
        name="A",
        reason="B",
        actor=credit.w.national,
    )
    kwargs[field] = value
    with pytest.raises(ValidationFailed):
        services.payout_request(**kwargs)
    assert not Payout.objects.exists()


def test_only_the_national_role_asks_for_payouts(credit, wave):
    with pytest.raises(Forbidden):
        ask(credit, actor=credit.w.officer)
