"""Real Chromium: an agent of Tambacounda opens the arrears list, records a repayment on
a late loan from its page, and the loan leaves the arrears list."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from credit.portfolio import refresh_all

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_agent_records_a_repayment_and_the_arrears_list_changes(
    django_db_serialized_rollback, page, credit
):
    today = timezone.localdate()
    refresh_all(as_of=today)
    loan = credit.loan_person
    due = sum(i.remaining for i in loan.instalments.filter(due_on__lte=today))
    assert due > 0

    page.goto(page.base_url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill("agent-tc")
    page.get_by_label("Mot de passe").fill("sunucoop-test-pw")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(page.base_url + "/")

    page.goto(page.base_url + "/credit/impayes/")
    rows = page.locator("[data-testid=arrears] tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator(f"tr[data-loan='{loan.pk}']")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "credit-arrears-before.png"), full_page=True)

    page.locator(f"tr[data-loan='{loan.pk}'] a").click()
    page.locator("#repayment #id_amount").fill(str(due))
    page.get_by_label("Canal").select_option("mobile_money")
    page.get_by_label("Référence (reçu, transaction)").fill("OM-2026-001")
    page.get_by_role("button", name="Enregistrer le remboursement").click()
    expect(page.get_by_text("Remboursement enregistré.")).to_be_visible()
    expect(page.get_by_test_id("dpd")).to_have_text("0")
    page.screenshot(path=str(SHOTS / "credit-loan-after-repayment.png"), full_page=True)

    page.goto(page.base_url + "/credit/impayes/")
    expect(rows).to_have_count(1)
    expect(page.locator(f"tr[data-loan='{loan.pk}']")).to_have_count(0)
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=str(SHOTS / "credit-arrears-after-360.png"), full_page=True)
