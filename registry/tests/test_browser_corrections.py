"""Real Chromium (issue 14, point 5): an agent of Thiès records a member's request to
correct her name from her page, then accepts it after the confirmation step; the list
shows it as cards at 360 px. Screenshots go to var/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from registry.selectors import person_list
from registry.tests.test_browser_registry import login

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.mark.browser
def test_agent_records_and_accepts_a_correction(page, demo_registry):
    SHOTS.mkdir(parents=True, exist_ok=True)
    agent = get_user_model().objects.get(username="agent-thies")
    person = person_list(actor=agent).filter(memberships__isnull=False).order_by("pk").first()
    login(page, "agent-thies")
    page.goto(page.base_url + f"/registre/personnes/{person.pk}/")
    page.get_by_role("link", name="Enregistrer une demande de rectification").click()
    page.get_by_label("Canal").select_option("phone")
    page.get_by_label("Nom", exact=True).fill("Corrigée")
    page.get_by_label("Précisions").fill("Erreur de saisie : CNI présentée à l'agent.")
    page.screenshot(path=str(SHOTS / "correction-form.png"), full_page=True)
    page.get_by_role("button", name="Enregistrer la demande").click()
    page.wait_for_url(re.compile(r"/registre/rectifications/\d+/$"))
    expect(page.get_by_text("Demande de rectification enregistrée.")).to_be_visible()
    page.get_by_label("Accepter et corriger la fiche").check()
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("alert").last).to_contain_text("sera corrigée")
    page.screenshot(path=str(SHOTS / "correction-confirm.png"), full_page=True)
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_text("Décision enregistrée.")).to_be_visible()
    expect(page.get_by_test_id("changes")).to_contain_text("Corrigée")
    person.refresh_from_db()
    assert person.last_name == "Corrigée"
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(page.base_url + "/registre/rectifications/")
    table = page.get_by_test_id("corrections")
    expect(table).to_contain_text(re.compile("corrigée", re.IGNORECASE))
    box = table.locator("td").last.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360
    page.screenshot(path=str(SHOTS / "correction-list-360.png"), full_page=True)
