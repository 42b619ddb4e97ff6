"""Real Chromium: an officer enrols a household on a 360-px phone, pays its contributions
through the Wave sandbox (the webhook comes back to the live server), and a provider's
agent enters a claim for the head; the mutual's agent valuates it, pays the provider by
phone (a payments payout against the sandbox) and reads the mutual's books.
Screenshots go to var/screenshots/health-*.png."""

import datetime

import pytest
from playwright.sync_api import expect

from health import services
from health.models import Claim, Contribution, Household
from health.tests.factories import (
    family,
    mutual_agent,
    national_user,
    provider_with_convention,
    scheme_of_example,
)

PASSWORD = "sunucoop-test-pw"


def sign_in(page, username):
    base = page.base_url
    page.context.clear_cookies()
    page.goto(f"{base}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + "/")


@pytest.mark.browser
def test_officer_enrols_pays_by_sandbox_and_provider_enters_a_claim(
    page, transactional_db, world, sandboxes, settings
):
    base = page.base_url
    settings.PAYMENTS_PUBLIC_URL = base
    sandboxes["wave"].sandbox.config["app_url"] = base
    national = national_user()
    today = datetime.date.today()
    scheme = scheme_of_example(national, waiting_days=0)
    provider, staff = provider_with_convention(national, scheme)
    head, dependants = family(world.coop_tc, 3, created_by=world.officer)
    head.phone = "+221771112233"
    head.save()
    late_head, late_dependants = family(world.coop_tc, 2)  # enrolled 40 days ago, unpaid
    services.household_enrol(
        actor=world.officer,
        scheme=scheme,
        head=late_head,
        dependants=late_dependants,
        cooperative=world.coop_tc,
        enrolled_on=today - datetime.timedelta(days=40),
    )

    page.set_viewport_size({"width": 360, "height": 780})
    sign_in(page, "officer")
    page.goto(f"{base}/sante/")
    page.screenshot(path="var/screenshots/health-index-360.png", full_page=True)
    page.click("text=Arriérés de cotisations")
    expect(page.get_by_test_id("arrears")).to_contain_text(str(late_head))
    owed = page.get_by_test_id("arrears").inner_text().replace("\u202f", " ").replace("\xa0", " ")
    assert "7 200" in owed  # two joining fees of 2,500 and two months of 2 × 550
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path="var/screenshots/health-arrears-360.png", full_page=True)
    page.goto(f"{base}/sante/")
    page.click("text=Enrôler un ménage")
    page.select_option("#id_scheme", str(scheme.pk))
    page.select_option("#id_cooperative", str(world.coop_tc.pk))
    page.select_option("#id_head", str(head.pk))
    page.fill("#id_enrolled_on", today.isoformat())
    page.select_option("#id_person_0", str(dependants[0][0].pk))
    page.select_option("#id_relation_0", "spouse")
    page.select_option("#id_person_1", str(dependants[1][0].pk))
    page.select_option("#id_relation_1", "child")
    page.screenshot(path="var/screenshots/health-enrol-360.png", full_page=True)
    page.click("button:has-text('Enrôler')")
    page.wait_for_selector("text=Ménage enrôlé.")
    household = Household.objects.get(head=head)
    assert household.members.count() == 3
    page.click("a:has-text('Payer par mobile money')")
    page.get_by_label("Montant (F CFA)").fill("9150")  # 3 × 2,500 + one month of 3 × 550
    page.get_by_label("Téléphone du payeur").fill("77 111 22 33")
    page.screenshot(path="var/screenshots/health-pay-360.png", full_page=True)
    page.get_by_role("button", name="Continuer vers le paiement").click()
    page.wait_for_selector("text=Wave — bac à sable")
    page.click("#approve")
    page.wait_for_url(f"{base}/paiements/retour/**")
    contribution = Contribution.objects.get()
    assert (contribution.channel, contribution.months) == ("mobile_money", 1)
    household.refresh_from_db()
    assert household.covered_until is not None and household.credit == 0
    page.goto(f"{base}/sante/menages/{household.pk}/")
    page.screenshot(path="var/screenshots/health-household-360.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    sign_in(page, staff.username)
    page.goto(f"{base}/sante/menages/{household.pk}/demande/")
    page.select_option("#id_beneficiary", str(head.pk))
    page.fill("#id_service_on", today.isoformat())
    page.select_option("#id_code", "CONS")
    page.fill("#id_diagnosis", "Paludisme simple")
    page.screenshot(path="var/screenshots/health-claim-form-360.png", full_page=True)
    page.click("button:has-text('Enregistrer la demande')")
    page.wait_for_selector("text=Demande saisie.")
    claim = Claim.objects.get()
    assert (claim.beneficiary_id, claim.amount, claim.status) == (head.pk, 2_000, "entered")
    page.screenshot(path="var/screenshots/health-claim-360.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/sante/demandes/")
    page.screenshot(path="var/screenshots/health-claims-desktop.png", full_page=True)

    # the mutual's agent checks, valuates, pays the provider by phone, reads the books
    agent = mutual_agent(national, scheme)
    provider.phone = "+221775550101"
    provider.save()
    sign_in(page, agent.username)
    page.goto(f"{base}/sante/demandes/{claim.pk}/")
    page.get_by_role("button", name="Vérifier", exact=True).click()
    page.get_by_role("button", name="Liquider").click()
    page.get_by_role("button", name="Payer par téléphone").click()
    expect(page.get_by_test_id("payout-status")).to_contain_text("versé")
    page.screenshot(path="var/screenshots/health-claim-paid-by-phone.png", full_page=True)
    claim.refresh_from_db()
    assert claim.status == "paid" and claim.payout.status == "succeeded"
    page.goto(f"{base}/sante/")
    page.click("a:has-text('Livres comptables')")
    expect(page.get_by_test_id("trial-balance")).to_contain_text("6588")
    expect(page.get_by_test_id("journal")).to_contain_text("Paiement de la demande")
    page.screenshot(path="var/screenshots/health-books-desktop.png", full_page=True)
    page.click("text=Exercice, périodes et réserves")
    page.locator("[data-testid=months] li").first.get_by_role("button", name="Verrouiller").click()
    expect(page.locator("[data-testid=months] li").first).to_contain_text("verrouillée")
    page.screenshot(path="var/screenshots/health-year-desktop.png", full_page=True)
