"""Real Chromium, real HTTP (issue 20, points 2 and 8): an organisation registers itself
with only a phone, receives its code by SMS through the SMS sandbox (the messaging app's
HTTP gateway) and types it; its owner uploads its statutes (core.files checks the first
bytes); the moderator of its country sees the document and reads it (others get 404:
test_files.py)."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from network.models import Organisation, OrganisationFile

SHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"
PASSWORD = "Joal-peche-2026-sur!"
STATUTES = b"%PDF-1.4\n% statuts de la cooperative des pecheurs de Joal\n"


def log_in(page, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(page.base_url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/comptes/connexion/" not in url)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_organisation_proves_its_phone_and_uploads_its_statutes_for_the_moderator(
    django_db_serialized_rollback,
    page,
    net,
    sms_gateway,  # network/tests/conftest.py
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{page.base_url}/reseau/inscription/")
    page.get_by_label("Nom de l'organisation").fill("Coopérative des pêcheurs de Joal")
    page.get_by_label("Type").select_option("cooperative")
    page.get_by_label("Pays").select_option("SN")
    page.get_by_label("Ville").fill("Joal-Fadiouth")
    page.locator('input[name="sectors"][value="agriculture"]').check()
    page.get_by_label("Téléphone (sans e-mail, le code arrive par SMS)").fill("77 555 12 34")
    page.get_by_label("Identifiant du compte propriétaire").fill("peche-joal")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Inscrire l'organisation").click()
    page.wait_for_url("**/code/")
    [sms] = sms_gateway.messages  # what the phone received, through the gateway's HTTP API
    assert sms["to"].endswith("775551234")
    code = sms["text"].rsplit(" ", 1)[1]
    page.get_by_label("Code reçu par e-mail ou par SMS").fill(code)
    page.get_by_role("button", name="Vérifier", exact=True).click()
    expect(page.get_by_role("heading", name="Contact vérifié")).to_be_visible()
    org = Organisation.objects.get(name="Coopérative des pêcheurs de Joal")
    assert org.contact_verified_at is not None and org.status == "pending"

    log_in(page, "peche-joal", PASSWORD)
    page.goto(f"{page.base_url}/reseau/organisations/{org.slug}/pieces/")
    page.get_by_label("Pièce").select_option("statuts")
    page.get_by_label("Fichier", exact=False).set_input_files(
        {"name": "statuts.pdf", "mimeType": "application/pdf", "buffer": STATUTES}
    )
    page.get_by_role("button", name="Déposer").click()
    expect(page.get_by_test_id("files")).to_contain_text("statuts.pdf")
    page.screenshot(path=str(SHOTS / "network-documents-owner.png"), full_page=True)
    document = OrganisationFile.objects.get(organisation=org)
    assert document.kind == "statuts" and bytes(document.data) == STATUTES

    log_in(page, net.mod_sn.username, "sunucoop-test-pw")  # Senegal's moderator
    page.goto(f"{page.base_url}/reseau/organisations/{org.slug}/pieces/")
    link = page.get_by_test_id("files").get_by_role("link", name="statuts.pdf")
    expect(link).to_be_visible()
    page.screenshot(path=str(SHOTS / "network-documents-moderator.png"), full_page=True)
    answer = page.request.get(page.base_url + link.get_attribute("href"))
    assert answer.status == 200 and answer.body() == STATUTES
