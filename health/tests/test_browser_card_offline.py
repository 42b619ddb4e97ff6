"""Real Chromium: a provider opens the offline card check, the network is cut, a genuine
card is shown valid (name, scheme, cover's end, "checked offline") and a tampered one
refused: the signature is checked in the browser (WebCrypto Ed25519) with the public keys
the page kept. Screenshots: var/screenshots/health-card-offline-*.png."""

import datetime

import pytest
from playwright.sync_api import expect

from health import services
from health.cards import card_token
from health.tests.factories import (
    enrolled,
    national_user,
    provider_with_convention,
    scheme_of_example,
)

PASSWORD = "sunucoop-test-pw"


def sign_in(page, username):
    base = page.base_url
    page.goto(f"{base}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + "/")


@pytest.mark.browser
def test_a_provider_checks_cards_with_the_network_cut(page, transactional_db, world):
    base = page.base_url
    national = national_user()
    scheme = scheme_of_example(national)
    _provider, staff = provider_with_convention(national, scheme)
    today = datetime.date.today()
    on = today - datetime.timedelta(days=40)
    household = enrolled(world.officer, scheme, world.coop_tc, 2, on=on)
    services.contribution_pay(
        actor=world.officer, household=household, amount=5_000 + 3 * 1_100, paid_on=on,
        channel="cash",
    )  # fmt: skip
    household.refresh_from_db()
    head = household.members.select_related("person", "household__scheme").get(
        person=household.head
    )
    code = card_token(head, issued_on=today)
    payload, signature = code.split(".")
    tampered = payload[:-3] + ("A" if payload[-3] != "A" else "B") + payload[-2:] + "." + signature

    sign_in(page, staff.username)
    page.goto(f"{base}/sante/carte/verifier/")
    page.get_by_role("link", name="Vérifier hors connexion").click()
    expect(page.get_by_test_id("card-keys-status")).to_contain_text("Clés publiques à jour")
    page.wait_for_load_state("networkidle")  # the keys' endpoint answered, kept
    assert page.evaluate("localStorage.getItem('sunucoop.health.cardKeys')").count("Ed25519")

    page.context.set_offline(True)
    field = page.get_by_label("Code de la carte, ou adresse lue dans le code QR")
    field.fill(f"{base}/sante/carte/verifier/?c={code}")  # what the QR code holds
    page.get_by_role("button", name="Vérifier", exact=True).click()
    result = page.get_by_test_id("card-offline-result")
    expect(result).to_be_visible()
    expect(result).to_have_attribute("data-state", "valid")
    expect(result).to_contain_text("Carte valide")
    expect(result).to_contain_text(str(head.person))
    expect(result).to_contain_text(scheme.name)
    until = household.covered_until.strftime("%d/%m/%Y")
    expect(result).to_contain_text(until)
    expect(result).to_contain_text(f"la couverture après le {until} n'est pas connue")
    page.screenshot(path="var/screenshots/health-card-offline-valid.png", full_page=True)

    field.fill(tampered)
    page.get_by_role("button", name="Vérifier", exact=True).click()
    expect(result).to_have_attribute("data-state", "invalid")
    expect(result).to_contain_text("Carte non reconnue")
    expect(result).not_to_contain_text(str(head.person))
    page.screenshot(path="var/screenshots/health-card-offline-tampered.png", full_page=True)
    page.context.set_offline(False)
