"""Real Chromium: an agent of Thiès registers a SCOOPS with its 5 founding members and
moves it to ``immatriculee`` (refused first with 4 members). Screenshots of the list
(desktop and 360 px) and of the detail page go to var/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from demo.loader import DEMO_PASSWORD

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
NAME = "Coopérative des savonnières de Saly"
FOUNDERS = [
    ("Aïssatou", "Mbaye", "F", "1992-02-14", "president"),
    ("Ndèye Fatou", "Diouf", "F", "1999-07-01", "secretaire"),
    ("Rokhaya", "Gueye", "F", "1985-11-23", "tresorier"),
    ("Modou", "Faye", "M", "2003-05-30", "membre"),
    ("Astou", "Ciss", "F", "1978-09-09", "membre"),
]


def login(page, username: str) -> None:
    page.goto(page.base_url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(page.base_url + "/")


def admit(page, first, last, sex, birth, role) -> None:
    page.get_by_role("link", name="Admettre un membre").click()
    page.get_by_label("Prénom").fill(first)
    page.get_by_label("Nom", exact=True).fill(last)
    page.get_by_label("Sexe").select_option(sex)
    page.get_by_label("Date de naissance").fill(birth)
    page.get_by_label("Date d'adhésion").fill("2025-04-01")
    page.get_by_label("Rôle").select_option(role)
    page.get_by_role("button", name="Admettre").click()
    page.wait_for_url(re.compile(r"/registre/cooperatives/\d+/#membres$"))
    expect(page.get_by_text(f"{first} {last} est maintenant membre.")).to_be_visible()


def change_stage(page, stage: str, on: str) -> None:
    form = page.get_by_test_id("stage-form")
    form.get_by_label("Nouvelle étape").select_option(stage)
    form.get_by_label("Date", exact=True).fill(on)
    form.get_by_role("button", name="Changer d'étape").click()


@pytest.mark.browser
def test_agent_registers_a_scoops_with_five_founders_and_registers_it(page, demo_registry):
    SHOTS.mkdir(parents=True, exist_ok=True)
    login(page, "agent-thies")
    page.get_by_role("link", name="Coopératives").first.click()
    page.wait_for_url(re.compile(r"/registre/cooperatives/$"))
    page.get_by_role("link", name="Enregistrer une coopérative").click()

    # a first try without a name: French inline error, nothing lost
    page.get_by_label("Forme juridique").select_option("SCOOPS")
    page.get_by_label("Commune").select_option(label="Saly Portudal (Mbour)")
    page.get_by_label("Secteur").select_option("artisanat")
    page.get_by_label("Maillon de la chaîne de valeur").select_option("production")
    page.get_by_label("Date de création").fill("2025-03-21")
    page.get_by_label("Téléphone").fill("77 412 33 21")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Ce champ est obligatoire.")).to_be_visible()
    assert page.get_by_label("Téléphone").input_value() == "77 412 33 21"
    page.get_by_label("Nom", exact=True).fill(NAME)
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/registre/cooperatives/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith(NAME)
    expect(page.get_by_test_id("stage")).to_have_text("sensibilisée")

    for founder in FOUNDERS[:4]:
        admit(page, *founder)
    change_stage(page, "en_constitution", "2025-04-02")
    expect(page.get_by_text("Étape enregistrée.")).to_be_visible()
    expect(page.get_by_test_id("stage")).to_have_text("en constitution")

    # 4 members: the OHADA refusal, in French, and nothing changes
    change_stage(page, "immatriculee", "2025-05-02")
    alert = page.get_by_text(re.compile("au moins 5 membres actifs"))
    expect(alert).to_be_visible()
    page.screenshot(path=str(SHOTS / "registry-stage-refused.png"), full_page=True)
    page.get_by_role("link", name=NAME).click()
    expect(page.get_by_test_id("stage")).to_have_text("en constitution")

    admit(page, *FOUNDERS[4])
    expect(page.get_by_test_id("active-count")).to_have_text("5")
    change_stage(page, "immatriculee", "2025-05-02")
    expect(page.get_by_text("Étape enregistrée.")).to_be_visible()
    expect(page.get_by_test_id("stage")).to_have_text("immatriculée")
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "02/05/2025" in timeline and "Immatriculée" in timeline
    assert page.get_by_test_id("members").locator("tbody tr").count() == 5
    page.screenshot(path=str(SHOTS / "registry-detail-desktop.png"), full_page=True)

    # the list finds it by an accent-free search, and shows it at 360 px without sideways scroll
    page.get_by_role("link", name="Coopératives").first.click()
    page.get_by_label("Recherche").fill("savonnieres saly")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_test_id("result-count")).to_have_text("1 coopérative")
    expect(page.get_by_role("link", name=NAME)).to_be_visible()
    page.goto(page.base_url + "/registre/cooperatives/")
    page.screenshot(path=str(SHOTS / "registry-list-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(SHOTS / "registry-list-360.png"), full_page=True)
    page.get_by_role("link", name=NAME).click()
    page.screenshot(path=str(SHOTS / "registry-detail-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.browser
def test_agent_of_thies_cannot_open_a_tambacounda_cooperative(page, demo_registry):
    from registry.models import Cooperative

    coop = Cooperative.objects.filter(commune__path__startswith="SN/SN-TC/").first()
    login(page, "agent-thies")
    response = page.goto(page.base_url + f"/registre/cooperatives/{coop.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible()
    response = page.goto(page.base_url + f"/registre/cooperatives/{coop.pk}/modifier/")
    assert response.status == 404


@pytest.mark.browser
def test_filters_refresh_the_table_with_htmx(page, demo_registry):
    login(page, "national")
    page.goto(page.base_url + "/registre/cooperatives/")
    total = page.get_by_test_id("result-count").inner_text()
    page.get_by_label("Région").select_option("SN-TC")
    page.wait_for_url(re.compile(r"region=SN-TC"))
    expect(page.get_by_test_id("result-count")).not_to_have_text(total)
    rows = page.locator("table.coop-table tbody tr")
    assert rows.count() >= 1
    assert all("Tambacounda" in rows.nth(i).inner_text() for i in range(rows.count()))
    # the department select now offers only Tambacounda's departments
    options = page.get_by_label("Département").locator("option").all_inner_texts()
    assert "Koumpentoum" in options and "Mbour" not in options
