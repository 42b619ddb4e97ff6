"""Real Chromium, real HTTP: a member pays her late instalment through the Wave sandbox's
payment page; the sandbox's signed webhook reaches the live app; her loan's arrears fall to
zero and the agent's arrears list no longer shows it. The officer pays the cooperative's
instalment the same way and the cooperative's books show it in the MM journal."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from playwright.sync_api import expect

from credit.models import Repayment
from credit.portfolio import refresh_all
from payments.models import PaymentIntent

SHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"


def login(page, username):
    page.goto(page.base_url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill("sunucoop-test-pw")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(page.base_url + "/")


def pay_through_wave(page, loan, shot: str):
    page.goto(f"{page.base_url}/credit/prets/{loan.pk}/")
    page.get_by_role("link", name="Payer par mobile money").click()
    expect(page.get_by_label("Montant (F CFA)")).not_to_have_value("")
    page.get_by_label("Téléphone du payeur").fill("77 123 45 67")
    page.screenshot(path=str(SHOTS / f"payments-{shot}-form.png"), full_page=True)
    page.get_by_role("button", name="Continuer vers le paiement").click()
    expect(page.get_by_text("Wave — bac à sable")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"payments-{shot}-wave.png"), full_page=True)
    page.get_by_role("button", name="Payer").click()
    page.wait_for_url("**/paiements/retour/**")
    expect(page.get_by_text("Merci : le paiement est reçu et enregistré.")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"payments-{shot}-return.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_member_pays_her_instalment_through_the_wave_sandbox(
    django_db_serialized_rollback, page, credit, wave, settings, browser
):
    settings.PAYMENTS_PUBLIC_URL = page.base_url
    wave.config["app_url"] = page.base_url
    today = timezone.localdate()
    refresh_all(as_of=today)
    loan = credit.loan_person
    loan.refresh_from_db()
    assert loan.arrears_amount > 0

    page.set_viewport_size({"width": 360, "height": 800})
    login(page, "member")
    pay_through_wave(page, loan, "member-360")
    intent = PaymentIntent.objects.get(target_id=loan.pk)
    assert intent.status == "succeeded" and intent.applied_at is not None
    assert Repayment.objects.get(loan=loan).channel == "mobile_money"
    page.goto(f"{page.base_url}/credit/prets/{loan.pk}/")
    expect(page.get_by_test_id("arrears")).to_have_text("0 F CFA")

    agent = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    agent_page = agent.new_page()
    agent_page.base_url = page.base_url
    login(agent_page, "agent-tc")
    agent_page.goto(page.base_url + "/credit/impayes/")
    expect(agent_page.locator(f"tr[data-loan='{loan.pk}']")).to_have_count(0)
    expect(agent_page.locator(f"tr[data-loan='{credit.loan_tc.pk}']")).to_have_count(1)

    officer = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    officer_page = officer.new_page()
    officer_page.base_url = page.base_url
    login(officer_page, "officer")
    pay_through_wave(officer_page, credit.loan_tc, "officer-desktop")
    coop = credit.loan_tc.borrower_cooperative_id
    officer_page.goto(f"{page.base_url}/comptabilite/{coop}/ecritures/?journal=MM")
    expect(officer_page.get_by_text("MM-").first).to_be_visible()
    officer_page.screenshot(path=str(SHOTS / "payments-books-mm.png"), full_page=True)
    agent.close()
    officer.close()
