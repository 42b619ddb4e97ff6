"""Loans disbursed to the borrower's wallet (issue 18 point 4): a payout of purpose
``loan_disbursement``, its key derived from the loan, maker-checker above the threshold;
the loan counts as disbursed when the operator confirms the payout, not before; a failure
or a refusal leaves it approved (Wave sandbox, over HTTP)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from core import dates
from core.errors import Conflict, Forbidden
from credit import services
from credit.models import Loan, LoanStatus
from credit.tests.factories import product
from ledger.models import JournalEntry
from payments.models import Payout
from payments.providers import get_provider
from registry.models import Cooperative

GOOD, FAILING = "+221775550303", "+221775550000"  # the sandbox fails numbers ending 0000
pytestmark = pytest.mark.django_db


@pytest.fixture
def wave(sandboxes, settings):
    sandbox = sandboxes["wave"].sandbox
    for key, value in sandbox.settings_for(sandbox.url).items():
        setattr(settings, key, value)
    settings.PAYMENTS_PAYOUT_APPROVAL_THRESHOLD = 100_000
    return sandbox


def approved(credit, principal, phone=GOOD):
    """A loan to the Koumpentoum cooperative (whose wallet is ``phone``), 2 % fees withheld."""
    w = credit.w
    Cooperative.objects.filter(pk=w.coop_tc.pk).update(phone=phone)
    prod = product(w.lender, w.lender_obj, fee_rate=Decimal("2"))
    loan = services.loan_apply(
        actor=w.lender,
        product=prod,
        principal=principal,
        applied_on=date(2026, 1, 10),
        borrower_cooperative=w.coop_tc,
    )
    return services.loan_approve(actor=credit.checker, loan=loan, on=date(2026, 1, 10))


def payouts(loan):
    return Payout.objects.filter(purpose="loan_disbursement", target_id=loan.pk)


def disbursement_entries(loan):
    return JournalEntry.objects.filter(source="credit.loan_disbursement", source_ref=str(loan.pk))


def lines(entry):
    return sorted((ln.account.code, ln.debit, ln.credit) for ln in entry.lines.all())


def test_a_loan_disbursed_by_wallet_counts_as_disbursed_when_the_payout_succeeds(credit, wave):
    loan = approved(credit, 50_000)
    payout = services.loan_disburse_by_wallet(actor=credit.w.lender, loan=loan)
    assert payout.status == "succeeded" and payout.kind == "disbursement"
    assert payout.amount == 49_000 and payout.phone == GOOD  # 2 % withheld
    assert payout.reference.startswith(f"PO-LOANDISB-{loan.pk}-1-")
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACTIVE and loan.disbursed_on == dates.today()
    assert loan.disbursement_channel == "mobile_money"
    entry = disbursement_entries(loan).get()
    assert entry.journal.code == "MM" and entry.cooperative == credit.w.coop_tc
    assert lines(entry) == [("162", 0, 50_000), ("552", 49_000, 0), ("631", 1_000, 0)]
    with pytest.raises(Conflict):  # disbursed: not twice
        services.loan_disburse_by_wallet(actor=credit.w.lender, loan=loan)
    assert payouts(loan).count() == 1


def test_asked_again_after_a_lost_answer_the_same_key_pays_once(credit, wave, settings):
    loan = approved(credit, 50_000)
    reachable = settings.WAVE_BASE_URL
    settings.WAVE_BASE_URL = "http://127.0.0.1:9"  # nothing answers there
    payout = services.loan_disburse_by_wallet(actor=credit.w.lender, loan=loan)
    assert payout.status == "approved" and payout.attempts == 1
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.APPROVED
    settings.WAVE_BASE_URL = reachable
    lost = get_provider("wave").payout(  # the provider paid it; the answer was lost
        idempotency_key=payout.idempotency_key,
        amount=payout.amount,
        currency="XOF",
        phone=payout.phone,
        name=payout.name,
        reference=payout.reference,
        reason=payout.reason,
    )
    again = services.loan_disburse_by_wallet(actor=credit.w.lender, loan=loan)
    assert again.pk == payout.pk and again.provider_payout_id == lost.payout_id
    assert again.status == "succeeded" and payouts(loan).count() == 1
    paid = [p for p in wave.payouts.values() if p["client_reference"] == payout.reference]
    assert len(paid) == 1 and disbursement_entries(loan).count() == 1


def test_above_the_threshold_another_person_approves_never_the_maker(credit, wave):
    loan = approved(credit, 1_000_000)
    payout = services.loan_disburse_by_wallet(actor=credit.w.lender, loan=loan)
    assert payout.status == "awaiting_approval" and payout.amount == 980_000
    with pytest.raises(Conflict) as err:  # no second way out while it waits
        services.loan_disburse(actor=credit.checker, loan=loan, on=dates.today())
    assert err.value.code == "payout_pending"
    with pytest.raises(Forbidden) as err:
        services.loan_disbursement_payout_approve(actor=credit.w.lender, loan=loan)
    assert err.value.code == "same_person"
    with pytest.raises(Forbidden):  # another lender's staff
        services.loan_disbursement_payout_approve(actor=credit.other_lender_user, loan=loan)
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.APPROVED
    assert not disbursement_entries(loan).exists()
    payout = services.loan_disbursement_payout_approve(actor=credit.checker, loan=loan)
    assert payout.status == "succeeded" and payout.approved_by == credit.checker
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.ACTIVE


def test_a_refused_payout_leaves_the_loan_approved(credit, wave):
    loan = approved(credit, 1_000_000)
    services.loan_disburse_by_wallet(actor=credit.w.lender, loan=loan)
    payout = services.loan_disbursement_payout_approve(
        actor=credit.checker, loan=loan, approve=False
    )
    assert payout.status == "rejected"
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.APPROVED
    assert not disbursement_entries(loan).exists()


def test_a_failed_payout_leaves_the_loan_approved_then_a_new_attempt(credit, wave, client):
    loan = approved(credit, 50_000, phone=FAILING)
    failed = services.loan_disburse_by_wallet(actor=credit.w.lender, loan=loan)
    assert failed.status == "failed" and failed.error
    loan.refresh_from_db()
    assert loan.status == LoanStatus.APPROVED and loan.disbursed_on is None
    assert not disbursement_entries(loan).exists()
    client.force_login(credit.w.lender)
    page = client.get(reverse("credit:loan_detail", args=[loan.pk])).content.decode()
    assert "échoué" in page and "le prêt reste à décaisser" in page
    second = services.loan_disburse_by_wallet(actor=credit.w.lender, loan=loan, phone=GOOD)
    assert second.pk != failed.pk and second.reference.startswith(f"PO-LOANDISB-{loan.pk}-2-")
    assert second.status == "succeeded"
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.ACTIVE


def test_only_the_lenders_staff_disburse_by_wallet(credit, wave):
    loan = approved(credit, 50_000)
    for outsider in (credit.w.officer, credit.w.member):
        with pytest.raises(Forbidden):
            services.loan_disburse_by_wallet(actor=outsider, loan=loan)
    assert not payouts(loan).exists()


def test_the_api_disburses_by_wallet_once_and_answers_the_live_payout(credit, wave, api_client):
    loan = approved(credit, 50_000)
    client = api_client(credit.w.lender)
    url = f"/api/v1/loans/{loan.pk}/disburse-by-wallet"
    reply = client.post(url, {}, content_type="application/json")
    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert body["status"] == "succeeded" and body["amount"] == 49_000 and body["phone"] == GOOD
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.ACTIVE
    again = client.post(url, {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"]  # disbursed: no second payout
    assert payouts(loan).count() == 1


def test_the_api_refuses_a_bad_phone_an_unknown_provider_and_an_unapproved_loan(
    credit, wave, api_client
):
    loan = approved(credit, 400_000)
    client = api_client(credit.w.lender)
    url = f"/api/v1/loans/{loan.pk}/disburse-by-wallet"
    hostile = (
        {"phone": "abc"},
        {"provider": "paypal"},
        {"phone": "7" * 41},
        {"phone": "7" * 5000},
        {"phone": "+22177555\x000303"},
        {"provider": "wave\x00"},
        {"provider": "w" * 5000},
    )
    for body in hostile:
        reply = client.post(url, body, content_type="application/json")
        assert reply.status_code in (400, 422), (body, reply.content)
        assert not payouts(loan).exists()
    waiting = client.post(url, {"phone": GOOD}, content_type="application/json")
    assert waiting.status_code == 201 and waiting.json()["status"] != "succeeded"
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.APPROVED  # above the threshold
    other = services.loan_apply(
        actor=credit.w.lender,
        product=loan.product,
        principal=50_000,
        applied_on=date(2026, 1, 10),
        borrower_cooperative=credit.w.coop_tc,
    )
    reply = client.post(
        f"/api/v1/loans/{other.pk}/disburse-by-wallet", {}, content_type="application/json"
    )
    assert reply.status_code == 409  # applied for, not approved


def test_another_lenders_loan_is_not_found_and_nothing_is_paid(credit, wave, api_client):
    loan = approved(credit, 50_000)
    reply = api_client(credit.other_lender_user).post(
        f"/api/v1/loans/{loan.pk}/disburse-by-wallet", {}, content_type="application/json"
    )
    assert reply.status_code == 404 and reply.json()["code"] == "not_found", reply.content
    assert not payouts(loan).exists()
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.APPROVED


def test_the_loan_page_disburses_by_wallet_and_keeps_a_bad_phone_on_the_form(credit, wave, client):
    loan = approved(credit, 50_000)
    client.force_login(credit.w.lender)
    detail = client.get(reverse("credit:loan_detail", args=[loan.pk])).content.decode()
    url = reverse("credit:loan_step", args=[loan.pk, "decaisser-portefeuille"])
    assert url in detail
    assert client.get(url).status_code == 200
    bad = client.post(url, {"phone": "77 12", "provider": "wave"})
    assert bad.status_code == 400 and "77 12" in bad.content.decode()
    assert not payouts(loan).exists()
    done = client.post(url, {"phone": "", "provider": "wave"})
    assert done.status_code == 302
    assert payouts(loan).get().status == "succeeded"
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.ACTIVE
