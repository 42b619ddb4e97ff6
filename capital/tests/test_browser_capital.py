"""Real Chromium on a 360-px phone: the treasurer (officer) records a subscription request,
approves it and carries it out behind confirmation pages, then opens the member's statement.
Screenshots go to var/screenshots/capital-*.png."""

import pytest

from capital.models import OperationStatus, ShareOperation
from capital.selectors import holding_of


@pytest.mark.browser
def test_officer_requests_approves_and_executes_a_subscription(page, transactional_db, world):
    page.set_viewport_size({"width": 360, "height": 780})
    base = page.base_url
    page.goto(f"{base}/comptes/connexion/")
    page.get_by_label("Identifiant").fill("officer")
    page.get_by_label("Mot de passe").fill("sunucoop-test-pw")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + "/")
    page.goto(f"{base}/capital/")
    page.click(f"text={world.coop_tc.name}")
    page.click("text=Nouvelle opération sur parts")
    person = world.persons_tc[0]
    page.select_option("#id_kind", "subscription")
    page.select_option("#id_person", str(person.pk))
    page.fill("#id_shares", "3")
    page.fill("#id_amount", "5000")
    page.screenshot(path="var/screenshots/capital-operation-form.png", full_page=True)
    page.click("button:has-text('Enregistrer la demande')")
    page.wait_for_selector("text=elle attend l'approbation")
    page.click("a:has-text('Approuver')")
    page.screenshot(path="var/screenshots/capital-confirm.png", full_page=True)
    page.click("button:has-text('Confirmer')")
    page.wait_for_selector("text=Demande approuvée.")
    page.click("text=Enregistrer comme réalisée")
    page.click("button:has-text('Confirmer')")
    page.wait_for_selector("text=le registre est à jour")
    op = ShareOperation.objects.get()
    assert op.status == OperationStatus.DONE
    h = holding_of(world.coop_tc, person)
    assert (h.shares, h.subscribed, h.paid) == (3, 15000, 5000)
    page.click("a:has-text('Registre des parts')")
    page.screenshot(path="var/screenshots/capital-register.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.click(f"a:has-text('{person}')")
    page.wait_for_selector("text=Relevé de capital")
    page.screenshot(path="var/screenshots/capital-statement.png", full_page=True)
