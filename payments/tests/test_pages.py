"""The national staff's pages: reconciliation (upload a statement, the day's report, a line
matched by hand with who and why), the review list (resolve, refund, class an event), the
payout approval (maker-checker) and the pay page's redirect under the CSP form-action."""

from __future__ import annotations

import re

import pytest

from accounts.services import role_assign
from accounts.tests.factories import UserFactory
from credit.models import Repayment
from payments import services
from payments.models import PaymentIntent, Payout, StatementLine, WebhookEvent
from payments.tests.conftest import completed, start, wave_post

pytestmark = pytest.mark.django_db


def suspense(page: str) -> int:
    found = re.search(r'data-testid="suspense"><strong>([^<]*)</strong>', page)
    return int(re.sub(r"[^0-9-]", "", found.group(1)))


def test_the_worked_example_through_the_pages(client, credit, example):
    w = credit.w
    client.force_login(w.national)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("wave-2026-03-02.csv", example["file"], "text/csv")
    response = client.post(
        "/paiements/rapprochement/",
        {"file": upload, "provider": "wave", "cooperative": w.coop_tc.pk},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?jour=2026-03-02&operateur=wave")
    page = client.get(response["Location"]).content.decode()
    assert re.search(r'data-testid="matched">4<', page)
    assert re.search(r'data-testid="manual">0<', page)
    assert 'data-line="T4"' in page and 'data-line="T1"' not in page
    assert suspense(page) == 7_000 and "à solder" in page
    line = StatementLine.objects.get(transaction_id="T4")
    form = client.get(f"/paiements/rapprochement/lignes/{line.pk}/").content.decode()
    assert example["d"].reference in form  # the candidate of the same amount
    assert "Confirmer le rapprochement" in form
    no_reason = client.post(
        f"/paiements/rapprochement/lignes/{line.pk}/", {"target": example["d"].pk, "note": ""}
    )
    assert no_reason.status_code == 400
    done = client.post(
        f"/paiements/rapprochement/lignes/{line.pk}/",
        {"target": example["d"].pk, "note": "Payé depuis le téléphone de son mari"},
    )
    assert done.status_code == 302
    page = client.get(done["Location"]).content.decode()
    assert re.search(r'data-testid="manual">1<', page)
    assert suspense(page) == 0 and "soldé" in page
    line.refresh_from_db()
    assert line.status == "manual" and line.matched_by == w.national
    assert Repayment.objects.filter(reference=example["d"].reference).exists()


def test_a_bad_file_shows_its_row_and_column_and_imports_nothing(client, credit):
    client.force_login(credit.w.national)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = b"date;transaction_id;montant\n2026-03-02T09:10:00Z;T9;12,5\n"
    response = client.post(
        "/paiements/rapprochement/",
        {"file": SimpleUploadedFile("w.csv", bad, "text/csv"), "provider": "wave"},
    )
    assert response.status_code == 400
    assert "montant" in response.content.decode()
    assert StatementLine.objects.count() == 0


def test_the_empty_report_says_so(client, credit):
    client.force_login(credit.w.national)
    page = client.get("/paiements/rapprochement/?jour=2026-03-02").content.decode()
    assert "Aucune ligne non rapprochée ce jour." in page and "Aucun relevé importé." in page


@pytest.mark.parametrize("who", ["officer", "agent_tc", "member", "lender"])
def test_only_national_staff_see_the_staff_pages(client, credit, who):
    client.force_login(getattr(credit.w, who))
    for url in ("/paiements/rapprochement/", "/paiements/a-verifier/", "/paiements/versements/"):
        assert client.get(url).status_code == 403


def flagged(client, credit, wave):
    intent = start(credit, actor=credit.w.officer, loan=credit.loan_tc, amount=15_000)
    wave.webhooks_on = False  # the sandbox's session paid (14 000 F); our own event below
    try:
        wave.complete(intent.provider_session_id, amount="14000")
    finally:
        wave.webhooks_on = True
    outcome = wave_post(client, completed(intent, event_id="AEX", amount=14_000)).json()
    assert outcome["outcome"] == "amount_mismatch"
    return intent


def test_a_flagged_payment_is_on_the_review_list_and_refunded_through_wave(client, credit, wave):
    intent = flagged(client, credit, wave)
    client.force_login(credit.w.national)
    page = client.get("/paiements/a-verifier/").content.decode()
    assert f'data-review="{intent.reference}"' in page and "montant reçu différent" in page
    url = f"/paiements/a-verifier/paiements/{intent.pk}/"
    applying = client.post(url, {"action": "apply", "note": "essai"})
    assert applying.status_code == 400 and "diffère" in applying.content.decode()
    done = client.post(url, {"action": "refund", "note": "Montant reçu différent : remboursé"})
    assert done.status_code == 302
    intent.refresh_from_db()
    assert (intent.status, intent.refund_status, intent.needs_review) == (
        "refunded",
        "succeeded",
        False,
    )
    assert intent.review_resolved_by == credit.w.national
    assert wave.sessions[intent.provider_session_id]["payment_status"] == "refunded"
    assert (
        f'data-review="{intent.reference}"'
        not in client.get("/paiements/a-verifier/").content.decode()
    )
    assert not Repayment.objects.filter(reference=intent.reference).exists()


def test_a_refused_payment_is_applied_from_the_review_once_the_cause_is_fixed(
    client, credit, wave, monkeypatch
):
    intent = start(credit, actor=credit.w.officer, loan=credit.loan_tc, amount=15_000)
    intent.status, intent.needs_review = "succeeded", True
    intent.review_reason = "loan_closed: le prêt était clos"
    intent.save()
    client.force_login(credit.w.national)
    url = f"/paiements/a-verifier/paiements/{intent.pk}/"
    assert client.post(url, {"action": "apply", "note": ""}).status_code == 400
    response = client.post(url, {"action": "apply", "note": "Prêt rouvert par le prêteur"})
    assert response.status_code == 302
    intent.refresh_from_db()
    assert intent.applied_at and not intent.needs_review and intent.review_note
    assert Repayment.objects.filter(reference=intent.reference).count() == 1
    assert client.post(url, {"action": "apply", "note": "encore"}).status_code == 404


def test_an_unknown_event_is_classed_with_a_reason(client, credit, wave):
    event = {
        "id": "AE_GHOST",
        "type": "checkout.session.completed",
        "data": {
            "id": "cos-ghost",
            "amount": "1000",
            "currency": "XOF",
            "client_reference": "NOPE",
            "payment_status": "succeeded",
            "checkout_status": "complete",
        },
    }
    assert wave_post(client, event).json()["outcome"] == "unknown_reference"
    row = WebhookEvent.objects.get(event_id="AE_GHOST")
    client.force_login(credit.w.national)
    assert "AE_GHOST" in client.get("/paiements/a-verifier/").content.decode()
    url = f"/paiements/a-verifier/evenements/{row.pk}/"
    assert client.post(url, {"note": ""}).status_code == 400
    assert client.post(url, {"note": "Test de l'opérateur"}).status_code == 302
    row.refresh_from_db()
    assert row.resolved_by == credit.w.national and row.resolution_note
    assert "AE_GHOST" not in client.get("/paiements/a-verifier/").content.decode()


def test_the_checker_approves_a_payout_above_the_threshold_on_its_page(
    client, credit, wave, settings
):
    settings.PAYMENTS_PAYOUT_APPROVAL_THRESHOLD = 100_000
    maker = credit.w.national
    checker = UserFactory(username="checker")
    role_assign(user=checker, role="national")
    payout = services.payout_request(
        kind="consultant",
        provider="wave",
        amount=150_000,
        phone="775555555",
        name="Awa Ndiaye",
        reason="Formation",
        actor=maker,
    )
    assert payout.status == "awaiting_approval"
    url = f"/paiements/versements/{payout.pk}/"
    client.force_login(maker)
    assert (
        f'data-payout="{payout.reference}"' in client.get("/paiements/versements/").content.decode()
    )
    mine = client.get(url).content.decode()
    assert "une autre personne" in mine and "Confirmer la décision" not in mine
    assert client.post(url, {"decision": "approve", "confirm": "1"}).status_code == 403
    client.force_login(checker)
    assert "Confirmer la décision" in client.get(url).content.decode()
    assert client.post(url, {"decision": "approve"}).status_code == 400  # not confirmed
    assert client.post(url, {"decision": "approve", "confirm": "1"}).status_code == 302
    payout.refresh_from_db()
    assert payout.status == "succeeded" and payout.approved_by == checker
    assert len([p for p in wave.payouts.values() if p["client_reference"] == payout.reference]) == 1


def test_the_pay_page_redirects_to_the_provider_allowed_by_form_action(client, credit, wave):
    client.force_login(credit.w.officer)
    url = f"/paiements/payer/loan_repayment/{credit.loan_tc.pk}/"
    form = client.get(url)
    policy = form["Content-Security-Policy"]
    action = next(p for p in policy.split(";") if p.strip().startswith("form-action"))
    sources = action.split()[1:]
    assert sources[0] == "'self'" and wave.url in sources  # and Orange Money's page
    other = client.get("/paiements/")  # the other pages keep form-action 'self' only
    assert wave.url not in other["Content-Security-Policy"]
    response = client.post(url, {"amount": 1_000, "phone": "771234567", "provider": "wave"})
    intent = PaymentIntent.objects.get()
    assert response.status_code == 302 and response["Location"] == intent.checkout_url
    assert intent.checkout_url.startswith(wave.url + "/c/")


def test_a_checkout_outside_the_configured_origins_is_only_a_link(client, credit, wave, settings):
    settings.WAVE_CHECKOUT_ORIGIN = "https://pay.wave.com"
    client.force_login(credit.w.officer)
    url = f"/paiements/payer/loan_repayment/{credit.loan_tc.pk}/"
    response = client.post(url, {"amount": 1_000, "phone": "771234567", "provider": "wave"})
    assert response.status_code == 200 and "Ouvrir la page de paiement" in response.content.decode()


def test_national_staff_send_a_settlement_or_a_disbursement_from_the_payouts_page(
    client, credit, wave, settings
):
    """Point 4's payouts typed by national staff: a consignment settlement up to the
    threshold leaves at once (one payout at the sandbox, its key derived from the row); a
    loan disbursement above it waits for another person; bad input stays on the form."""
    settings.PAYMENTS_PAYOUT_APPROVAL_THRESHOLD = 100_000
    url = "/paiements/versements/nouveau/"
    form = {
        "kind": "settlement",
        "provider": "wave",
        "amount": "40000",
        "phone": "77 555 55 55",
        "name": "GIE des tisserandes",
        "reason": "Dépôt-vente de février",
        "cooperative": str(credit.w.coop_tc.pk),
    }
    client.force_login(credit.w.officer)
    assert client.get(url).status_code == 403
    client.force_login(credit.w.national)
    assert "Nouveau versement" in client.get("/paiements/versements/").content.decode()
    bad = client.post(url, {**form, "phone": "12"})
    assert bad.status_code == 400 and not Payout.objects.exists()
    assert "phone" in bad.context["form"].errors
    unknown = client.post(url, {**form, "cooperative": "999999"})
    assert unknown.status_code == 400 and "Coopérative introuvable" in unknown.content.decode()
    assert not Payout.objects.exists()
    done = client.post(url, form)
    assert done.status_code == 302
    settlement = Payout.objects.get(kind="settlement")
    assert (settlement.status, settlement.amount, settlement.cooperative) == (
        "succeeded",
        40_000,
        credit.w.coop_tc,
    )
    assert f"sunucoop-payout-{settlement.reference}" in wave.payout_keys  # from the row
    sent = [p for p in wave.payouts.values() if p["client_reference"] == settlement.reference]
    assert len(sent) == 1 and sent[0]["receive_amount"] == "40000"
    big = client.post(url, {**form, "kind": "disbursement", "amount": "250000"})
    assert big.status_code == 302
    disbursement = Payout.objects.get(kind="disbursement")
    assert disbursement.status == "awaiting_approval" and disbursement.provider_payout_id == ""
