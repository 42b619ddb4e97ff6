"""Refunds (Wave's refund API; Orange Money: a payout to the payer), Orange Money payouts
through its cash-in API, and the daily statement fetched from the providers' APIs, all
against the sandboxes over real HTTP."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.errors import Conflict, Forbidden
from credit.models import Repayment
from payments import services
from payments.models import PaymentIntent, Payout, StatementLine
from payments.providers import get_provider
from payments.tests.conftest import completed, start, wave_post
from payments.tests.test_orange_money import decide, start_om

pytestmark = pytest.mark.django_db


def received_unapplied(intent, reason="amount_mismatch"):
    PaymentIntent.objects.filter(pk=intent.pk).update(
        status="succeeded", needs_review=True, review_reason=reason
    )
    intent.refresh_from_db()
    return intent


def paid_on_wave(wave, intent, amount=None):
    wave.webhooks_on = False
    try:
        wave.complete(intent.provider_session_id, amount=amount, mobile="+221771234567")
    finally:
        wave.webhooks_on = True


# ---------------------------------------------------------------- Wave refunds


def test_a_wave_refund_whose_call_was_lost_is_finished_by_the_follow_up(credit, wave, settings):
    intent = start(credit, actor=credit.w.officer, loan=credit.loan_tc, amount=15_000)
    paid_on_wave(wave, intent, amount="16000")
    intent = received_unapplied(intent)
    real = settings.WAVE_BASE_URL
    settings.WAVE_BASE_URL = "http://127.0.0.1:9"  # Wave unreachable for the refund call
    services.payment_refund(intent=intent, actor=credit.w.national, reason="Montant différent")
    intent.refresh_from_db()
    assert (intent.status, intent.refund_status) == ("succeeded", "requested")
    settings.WAVE_BASE_URL = real
    assert services.refunds_follow() == {"succeeded": 1}
    intent.refresh_from_db()
    assert (intent.status, intent.refund_status) == ("refunded", "succeeded")
    assert wave.sessions[intent.provider_session_id]["payment_status"] == "refunded"
    assert services.refunds_follow() == {}  # nothing left to follow
    reasons = [h.history_change_reason for h in intent.history.all()]
    assert "refund: succeeded" in reasons


def test_an_applied_payment_is_not_refunded_and_only_national_staff_refund(client, credit, wave):
    intent = start(credit, actor=credit.w.officer, loan=credit.loan_tc, amount=15_000)
    assert wave_post(client, completed(intent)).json()["outcome"] == "applied"
    with pytest.raises(Conflict) as err:
        services.payment_refund(intent=intent, actor=credit.w.national, reason="erreur")
    assert err.value.code == "already_applied"
    with pytest.raises(Forbidden):
        services.payment_refund(intent=intent, actor=credit.w.officer, reason="erreur")
    pending = start(credit, actor=credit.w.officer, loan=credit.loan_tc, amount=1_000)
    with pytest.raises(Conflict):
        services.payment_refund(intent=pending, actor=credit.w.national, reason="erreur")


def test_the_refund_shows_on_the_statement_as_a_refund_not_in_suspense(credit, wave):
    intent = start(credit, actor=credit.w.officer, loan=credit.loan_tc, amount=15_000)
    paid_on_wave(wave, intent, amount="16000")
    intent = received_unapplied(intent)
    services.payment_refund(intent=intent, actor=credit.w.national, reason="Montant différent")
    stmt = services.statement_fetch(
        provider="wave", on=timezone.now().date(), actor=credit.w.national
    )
    mine = stmt.lines.filter(reference=intent.reference)
    # Wave gave back what was paid (16 000): neither line is our 15 000; both sit in
    # suspense and cancel out there (552/471 in, 471/552 out)
    assert sorted(mine.values_list("amount", "status")) == [
        (-16_000, "unmatched"),
        (16_000, "unmatched"),
    ]


def test_a_wave_refund_of_the_right_amount_is_matched_as_a_refund(credit, wave):
    intent = start(credit, actor=credit.w.officer, loan=credit.loan_tc, amount=15_000)
    paid_on_wave(wave, intent)
    intent = received_unapplied(intent, reason="loan_closed: prêt clos")
    services.payment_refund(intent=intent, actor=credit.w.national, reason="Prêt soldé")
    stmt = services.statement_fetch(
        provider="wave", on=timezone.now().date(), actor=credit.w.national
    )
    lines = {ln.amount: ln for ln in stmt.lines.filter(reference=intent.reference)}
    assert (lines[15_000].status, lines[15_000].rule) == ("matched", "reference")
    assert (lines[-15_000].status, lines[-15_000].rule) == ("matched", "refund")


# ---------------------------------------------------------------- Orange Money


def om_payout(credit, amount=50_000, phone="775555555"):
    return services.payout_request(
        kind="settlement",
        provider="orange_money",
        amount=amount,
        phone=phone,
        name="Fatou Diop",
        reason="Dépôt-vente",
        actor=credit.w.national,
    )


def test_an_orange_money_payout_goes_through_cash_in_once(credit, orange):
    payout = om_payout(credit)
    args = dict(
        idempotency_key=payout.idempotency_key,
        amount=payout.amount,
        currency="XOF",
        phone=payout.phone,
        name=payout.name,
        reference=payout.reference,
        reason=payout.reason,
    )
    first = get_provider("orange_money").payout(**args)  # the answer "lost" on our side
    payout = services.payout_send(payout=payout)
    assert payout.status == "succeeded" and payout.provider_payout_id == first.payout_id
    assert payout.fee == 500
    assert [c["reference"] for c in orange.cashins.values()].count(payout.reference) == 1
    assert services.payouts_follow() == {}


def test_an_orange_money_payout_failure_keeps_its_error(credit, orange):
    payout = services.payout_send(payout=om_payout(credit, phone="775550000"))
    assert (payout.status, payout.error) == ("failed", "CUSTOMER_NOT_FOUND")


def test_an_orange_money_refund_is_a_payout_to_the_payer(credit, orange, settings):
    settings.PAYMENTS_PAYOUT_APPROVAL_THRESHOLD = 100_000
    intent = start_om(credit)
    decide(intent.checkout_url, "pay")
    intent = received_unapplied(intent)
    payout = services.payment_refund(
        intent=intent, actor=credit.w.national, reason="Paiement en double"
    )
    assert isinstance(payout, Payout)
    assert (payout.kind, payout.amount, payout.phone) == ("refund", 60_000, intent.phone)
    assert payout.status == "succeeded" and payout.intent_id == intent.pk
    intent.refresh_from_db()
    assert (intent.status, intent.refund_status) == ("refunded", "succeeded")
    assert not Repayment.objects.filter(loan=credit.loan_tc).exists()


def test_an_orange_money_refund_above_the_threshold_waits_for_the_checker(credit, orange, settings):
    settings.PAYMENTS_PAYOUT_APPROVAL_THRESHOLD = 10_000
    intent = received_unapplied(start_om(credit))
    payout = services.payment_refund(intent=intent, actor=credit.w.national, reason="Doublon")
    assert payout.status == "awaiting_approval"
    intent.refresh_from_db()
    assert intent.refund_status == "requested"
    from accounts.services import role_assign
    from accounts.tests.factories import UserFactory

    checker = UserFactory(username="checker-om")
    role_assign(user=checker, role="national")
    services.payout_approve(payout=payout, actor=checker, approve=False)
    intent.refresh_from_db()
    assert intent.refund_status == "failed" and intent.status == "succeeded"


# ---------------------------------------------------------------- daily statement


def test_the_daily_command_fetches_and_reconciles_both_providers(credit, wave, orange):
    intent = start(credit, actor=credit.w.officer, loan=credit.loan_tc, amount=15_000)
    paid_on_wave(wave, intent)  # its webhook lost: the statement applies it
    om = start_om(credit)
    decide(om.checkout_url, "pay")  # its notification never came
    out = StringIO()
    today = timezone.localdate().isoformat()
    call_command(
        "payments_statement_fetch",
        "--date",
        today,
        "--user",
        credit.w.national.username,
        "--cooperative",
        str(credit.w.coop_tc.pk),
        stdout=out,
    )
    text = out.getvalue()
    assert "wave" in text and "orange_money" in text
    for obj in (intent, om):
        obj.refresh_from_db()
        assert obj.status == "succeeded" and obj.applied_at
        assert StatementLine.objects.get(intent=obj).status == "matched"
    assert Repayment.objects.filter(loan=credit.loan_tc).count() == 2
    again = StringIO()
    call_command("payments_statement_fetch", "--date", today, "--user", "national", stdout=again)
    assert "new 0" in again.getvalue()  # a day fetched twice adds nothing
