"""Real Chromium: a lender's user enters a loan application, a second user of the same
lender approves and disburses it behind confirmation pages, and the schedule appears.

Cheap: the world fixture and one product, no demo data. With ``CREDIT_SHOTS=<dir>`` every
page visited is also photographed at 360 px and at 1280 px (for visual review)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from credit.models import Loan
from credit.tests.factories import lender_staff, product

SHOTS = os.environ.get("CREDIT_SHOTS")


def shoot(page, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=f"{SHOTS}/credit-{name}-{width}.png", full_page=True)
        if width == 360:  # nothing may stick out sideways on a phone
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            culprits = page.evaluate(
                """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > innerWidth + 1
                        && !e.closest('.table-wrap'))
                .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
            )
            assert overflow <= 0, f"{name}: {overflow}px wider than the phone: {culprits}"
    page.set_viewport_size({"width": 1280, "height": 900})


def login(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto(page.base_url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill("sunucoop-test-pw")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(page.base_url + "/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_maker_enters_checker_approves_and_disburses(django_db_serialized_rollback, page, world):
    lender_staff(world.lender_obj, "verificateur")
    prod = product(world.lender, world.lender_obj, name="AGR tissage", fee_rate="1")

    login(page, "lender")
    page.goto(page.base_url + "/credit/produits/")
    expect(page.get_by_test_id("products")).to_contain_text("AGR tissage")
    shoot(page, "products")
    page.get_by_role("link", name="Nouveau produit").click()
    page.get_by_label("Nom du produit").fill("Trop cher")
    page.get_by_label("Taux annuel (%)").fill("35")
    page.get_by_label("Durée (mois)").fill("12")
    page.get_by_role("button", name="Créer le produit").click()
    expect(page.get_by_text("taux de l'usure de 24 %")).to_be_visible()
    shoot(page, "product-form-error")

    page.goto(page.base_url + "/credit/prets/")
    page.get_by_role("link", name="Nouvelle demande").click()
    page.get_by_label("Produit").select_option(str(prod.pk))
    page.get_by_label("Coopérative emprunteuse (n°)").fill(str(world.coop_tc.pk))
    page.get_by_label("Montant demandé (F CFA)").fill("600000")
    page.get_by_label("Objet du prêt").fill("Fil et métiers à tisser")
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_test_id("borrower")).to_contain_text(world.coop_tc.name)
    shoot(page, "apply-check")
    page.get_by_role("button", name="Enregistrer la demande").click()
    expect(page.get_by_text("Demande enregistrée.")).to_be_visible()
    expect(page.get_by_test_id("maker-checker")).to_be_visible()  # the maker sees why
    expect(page.get_by_role("link", name="Approuver")).to_have_count(0)
    shoot(page, "detail-maker")
    loan = Loan.objects.get(purpose="Fil et métiers à tisser")

    login(page, "verificateur")
    page.goto(page.base_url + f"/credit/prets/{loan.pk}/")
    page.get_by_role("link", name="Approuver").click()
    shoot(page, "approve-confirm")
    page.get_by_role("button", name="Confirmer l'approbation").click()
    expect(page.get_by_text("Demande approuvée.")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("approuvé")

    page.get_by_role("link", name="Décaisser", exact=True).click()
    expect(page.get_by_test_id("preview").locator("tbody tr")).to_have_count(13)  # fee + 12
    shoot(page, "disburse-confirm")
    page.get_by_role("button", name="Confirmer le décaissement").click()
    expect(page.get_by_text("Prêt décaissé")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("en cours")
    schedule = page.get_by_test_id("schedule").locator("tbody tr")
    expect(schedule).to_have_count(13)
    history = page.get_by_test_id("history")
    expect(history.locator("li")).to_have_count(3)
    expect(history.locator("li[data-kind=disbursed]")).to_contain_text("par verificateur")
    expect(history.locator("li[data-kind=applied]")).to_contain_text("par lender")
    shoot(page, "detail-active")

    if SHOTS:  # the remaining new pages, for the visual review only
        page.get_by_role("link", name="Demander un rééchelonnement").click()
        shoot(page, "reschedule-form")
        page.goto(page.base_url + f"/credit/prets/{loan.pk}/demande/passage-en-perte/")
        page.get_by_label("Motif").fill("Coopérative dissoute")
        page.get_by_role("button", name="Envoyer la demande").click()
        login(page, "lender")
        page.goto(page.base_url + f"/credit/prets/{loan.pk}/")
        page.get_by_role("link", name="Examiner la demande").click()
        shoot(page, "decide")
        rep = loan.repayments.first()
        page.goto(page.base_url + f"/credit/prets/{loan.pk}/remboursements/{rep.pk}/annuler/")
        shoot(page, "reverse")
