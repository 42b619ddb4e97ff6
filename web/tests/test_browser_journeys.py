"""Real Chromium against the live server, with the demo data set: each demo role logs in,
sees its French home page naming its scope, and logs out; phone width has no sideways scroll."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from demo.loader import DEMO_PASSWORD

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

# username -> (heading of its home panel, scope named on the page)
DEMO_ROLES = {
    "national": ("Programme national", "Ministère (national)"),
    "agent-tambacounda": ("Région Tambacounda", "Agent de terrain · Région Tambacounda"),
    "agent-thies": ("Région Thiès", "Agent de terrain · Région Thiès"),
    "officer": (
        "Coopérative des tisserands de Koumpentoum",
        "Responsable de coopérative · Coopérative des tisserands de Koumpentoum",
    ),
    "lender": (
        "Mutuelle d'épargne et de crédit de Tambacounda",
        "Prêteur (mutuelle partenaire) · Mutuelle d'épargne et de crédit de Tambacounda",
    ),
}


def login(page, username: str) -> None:
    page.goto(page.base_url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(page.base_url + "/")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
@pytest.mark.parametrize("username", list(DEMO_ROLES))
def test_each_demo_role_sees_its_french_home_then_logs_out(page, demo_data, username):
    SHOTS.mkdir(parents=True, exist_ok=True)
    heading, scope = DEMO_ROLES[username]
    login(page, username)

    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Bonjour")
    assert page.get_by_role("heading", level=2, name=heading).is_visible()
    assert scope in page.get_by_test_id("scope").inner_text()
    page.screenshot(path=str(SHOTS / f"home-{username}-desktop.png"), full_page=True)

    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.get_by_role("heading", level=2, name=heading).is_visible()
    page.screenshot(path=str(SHOTS / f"home-{username}-360.png"), full_page=True)

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(r"/comptes/connexion/"))
    assert page.get_by_role("heading", level=1, name="Connexion").is_visible()
    page.goto(page.base_url + "/")
    assert "/comptes/connexion/" in page.url  # the session is really gone
