"""Real Chromium: an agent of Tambacounda enters a session's attendance from the paper
sheet, then, from the work list on a 360-px phone, records a visit with its diagnostic and
an action. Screenshots go to var/screenshots/training-*.png."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from training.models import Participant, Visit
from training.services import cooperative_members_enrol, session_create
from training.tests.factories import certified_trainer, module

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
def test_agent_records_attendance_then_a_visit(page, transactional_db, world):
    SHOTS.mkdir(parents=True, exist_ok=True)
    trainer = certified_trainer("start-1-membres-idee", name="Mamadou Cissé", user=world.agent_tc)
    session = session_create(
        actor=world.agent_tc,
        module=module("start-1-membres-idee"),
        commune=world.koumpentoum,
        starts_on=datetime.date(2025, 6, 2),
        ends_on=datetime.date(2025, 6, 3),
        trainers=[trainer],
        venue="Maison des jeunes",
    )
    cooperative_members_enrol(actor=world.agent_tc, session=session, cooperative=world.coop_tc)
    first, second, _third = world.persons_tc

    login(page, "agent-tc")
    page.goto(page.base_url + "/formation/")
    page.get_by_role("link", name="02/06/2025 – 03/06/2025").click()
    page.get_by_role("link", name="Saisir les présences").click()
    page.get_by_label(f"{first} 02/06/2025").check()
    page.get_by_label(f"{first} 03/06/2025").check()
    page.get_by_label(f"{second} 02/06/2025").check()
    page.get_by_label(f"Note {first}").fill("17")
    page.screenshot(path=str(SHOTS / "training-attendance-grid.png"), full_page=True)
    page.get_by_role("button", name="Enregistrer les présences").click()
    page.wait_for_url(re.compile(rf"/formation/sessions/{session.pk}/$"))
    expect(page.get_by_text("Feuille de présence enregistrée.")).to_be_visible()
    assert page.get_by_test_id("completed").inner_text() == "1 / 3"
    page.screenshot(path=str(SHOTS / "training-session-detail.png"), full_page=True)
    assert Participant.objects.get(person=first).completed
    assert not Participant.objects.get(person=second).completed

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(page.base_url + "/formation/travail/")
    assert no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "training-worklist-360.png"), full_page=True)
    item = page.locator(".tr-item", has_text=world.coop_tc.name)
    item.get_by_role("link", name="Visiter").click()
    page.get_by_label("Date de la visite").fill("2025-07-01")
    page.get_by_label("Objet").fill("Suivi après Start.COOP 1")
    page.get_by_label("Constats").fill("Idée d'entreprise validée, cotisations à organiser.")
    for label, score in [
        ("Gouvernance", "2"),
        ("Tenue des comptes", "1"),
        ("Production", "3"),
        ("Accès au marché", "2"),
        ("Finances", "1"),
    ]:
        page.get_by_label(re.compile(rf"^{label}")).select_option(score)
    page.locator("#id_action_0_description").fill("Ouvrir un cahier de caisse")
    page.locator("#id_action_0_owner").fill("Trésorière")
    page.locator("#id_action_0_due_on").fill("2025-08-01")
    assert no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "training-visit-form-360.png"), full_page=True)
    page.get_by_role("button", name="Enregistrer la visite").click()
    page.wait_for_url(re.compile(r"/formation/visites/\d+/$"))
    expect(page.get_by_text("Visite enregistrée.")).to_be_visible()
    page.screenshot(path=str(SHOTS / "training-visit-detail-360.png"), full_page=True)
    visit = Visit.objects.get()
    assert (visit.cooperative, visit.diagnostic.total) == (world.coop_tc, 9)
    assert visit.actions.get().owner == "Trésorière"

    page.get_by_role("link", name=world.coop_tc.name).click()
    expect(page.get_by_test_id("training-progress")).to_be_visible()
    assert no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "training-follow-up-360.png"), full_page=True)
