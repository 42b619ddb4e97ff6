"""Real Chromium: a treasurer records a receipt and a payment in simple mode, on a phone,
then reads the trial balance."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from ledger.models import JournalEntry

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def login(page, username: str) -> None:
    page.goto(page.base_url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill("sunucoop-test-pw")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(page.base_url + "/")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
def test_treasurer_keeps_the_books_on_a_phone(page, transactional_db, world):
    SHOTS.mkdir(parents=True, exist_ok=True)
    year = datetime.date.today().year
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, "officer")
    page.get_by_text("Menu").click()
    page.get_by_role("link", name="Comptabilité").click()
    page.wait_for_url(re.compile(rf"/comptabilite/{world.coop_tc.pk}/$"))
    assert no_sideways_scroll(page)

    page.get_by_role("link", name="Recette").click()
    page.get_by_label("Nature").select_option(label="Vente de produits de la coopérative")
    page.get_by_label("Montant (F CFA)").fill("75 000")
    page.get_by_label("Date").fill(f"{year}-01-15")
    page.get_by_label("Mobile money").check()
    page.get_by_label("Libellé (facultatif)").fill("Vente de 15 pagnes tissés")
    assert no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "ledger-receipt-360.png"), full_page=True)
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(rf"/comptabilite/{world.coop_tc.pk}/$"))
    expect(page.get_by_text("Vente de 15 pagnes tissés").first).to_be_visible()

    page.get_by_role("link", name="Dépense").click()
    page.get_by_label("Nature").select_option(label="Achat de matières premières")
    page.get_by_label("Montant (F CFA)").fill("abc")
    page.get_by_label("Date").fill(f"{year}-01-20")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".errorlist").first).to_be_visible()  # bad amount: shown, input kept
    assert page.get_by_label("Date").input_value() == f"{year}-01-20"
    page.get_by_label("Montant (F CFA)").fill("30000")
    page.get_by_label("Libellé (facultatif)").fill("Fil de coton")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(rf"/comptabilite/{world.coop_tc.pk}/$"))
    assert page.get_by_test_id("treasury-mobile_money").inner_text().startswith("75")
    assert page.get_by_test_id("treasury-cash").inner_text().startswith("-30")
    page.screenshot(path=str(SHOTS / "ledger-dashboard-360.png"), full_page=True)

    page.get_by_role("link", name="Balance").click()
    table = page.get_by_test_id("trial-balance")
    assert no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "ledger-trial-balance-360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    text = table.inner_text()
    for row in ["552", "5711", "6021", "7021"]:
        assert row in text
    assert "105\u202f000" in table.locator("tfoot").inner_text()
    page.screenshot(path=str(SHOTS / "ledger-trial-balance-desktop.png"), full_page=True)
    assert JournalEntry.objects.filter(cooperative=world.coop_tc).count() == 2
    # One browser test per app: a second transactional test would depend on the
    # serialized rollback restoring the reference data in between.
    statements_and_year_end_on_a_phone(page, world)


def statements_and_year_end_on_a_phone(page, world):
    """Then, with the demo year of books: statements, closing 2025 and allocating its
    surplus (a refused rate first), a member's refund statement; all at 360 px."""
    from demo.ledger_data import load_ledger

    load_ledger(actor=world.officer)
    page.set_viewport_size({"width": 360, "height": 740})
    base = f"{page.base_url}/comptabilite/{world.coop_tc.pk}"
    page.goto(base + "/etats-financiers/?date_from=2026-01-01&date_to=2026-10-31")
    assert no_sideways_scroll(page)
    assert page.get_by_test_id("total-assets").inner_text() == (
        page.get_by_test_id("total-liabilities").inner_text()
    )
    page.screenshot(path=str(SHOTS / "ledger-statements-360.png"), full_page=True)
    page.goto(base + "/exercices/2025/")
    page.get_by_label("Je confirme la clôture définitive de l'exercice.").check()
    page.get_by_role("button", name="Clôturer l'exercice").click()
    expect(page.get_by_text("Exercice 2025 clôturé.")).to_be_visible()
    page.get_by_label("Réserves facultatives (%, au plus 20)").fill("25")
    page.get_by_label("Je confirme : l'affectation est passée en comptabilité").check()
    page.get_by_role("button", name="Affecter et comptabiliser").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    page.get_by_label("Réserves facultatives (%, au plus 20)").fill("10")
    page.get_by_label("Je confirme : l'affectation est passée en comptabilité").check()
    page.get_by_role("button", name="Affecter et comptabiliser").click()
    expect(page.get_by_text("Résultat affecté et comptabilisé.")).to_be_visible()
    assert no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "ledger-year-end-360.png"), full_page=True)
    page.get_by_role("link", name="Relevé").first.click()
    expect(page.get_by_test_id("refund-total")).to_be_visible()
    page.screenshot(path=str(SHOTS / "ledger-refund-statement-360.png"), full_page=True)
