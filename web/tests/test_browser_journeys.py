"""Real Chromium against the live server, with the demo data set: each demo role logs in,
sees its French home page naming its scope, and logs out; phone width has no sideways scroll."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from demo.loader import DEMO_PASSWORD

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WORLD_PASSWORD = "sunucoop-test-pw"  # accounts/tests/factories.py

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


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(page.base_url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(page.base_url + "/")


@pytest.mark.browser
def test_each_demo_role_sees_its_french_home_then_logs_out(page, demo_data):
    """One test for the five demo roles: the demo data set is loaded once (it is large)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for username, (heading, scope) in DEMO_ROLES.items():
        page.set_viewport_size({"width": 1280, "height": 900})
        login(page, username)

        assert page.locator("html").get_attribute("lang") == "fr", username
        assert page.get_by_role("heading", level=1).inner_text().startswith("Bonjour"), username
        assert page.get_by_role("heading", level=2, name=heading).is_visible(), username
        assert scope in page.get_by_test_id("scope").inner_text(), username
        page.screenshot(path=str(SHOTS / f"home-{username}-desktop.png"), full_page=True)

        page.set_viewport_size({"width": 360, "height": 740})
        page.reload()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (username, width)
        assert page.get_by_role("heading", level=2, name=heading).is_visible(), username
        page.screenshot(path=str(SHOTS / f"home-{username}-360.png"), full_page=True)

        page.get_by_role("button", name="Se déconnecter").click()
        page.wait_for_url(re.compile(r"/comptes/connexion/"))
        assert page.get_by_role("heading", level=1, name="Connexion").is_visible(), username
        page.goto(page.base_url + "/")
        assert "/comptes/connexion/" in page.url, username  # the session is really gone


@pytest.mark.browser
def test_language_switcher_works_from_the_keyboard(page, world):
    page.goto(page.base_url + "/comptes/connexion/")
    assert page.locator("html").get_attribute("lang") == "fr"
    english = page.get_by_role("button", name="English")
    english.focus()
    page.keyboard.press("Enter")
    # expect() polls from Playwright's side: a string given to wait_for_function is eval'd
    # in the page, which the CSP (no unsafe-eval) refuses
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    login_as = page.get_by_label("Username")
    login_as.fill("agent-th")
    page.get_by_label("Password").fill(WORLD_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(page.base_url + "/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Hello")
    assert "Field agent · Region Thiès" in page.get_by_test_id("scope").inner_text()
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Bonjour")
    assert page.url == page.base_url + "/"  # the switcher brings you back where you were


@pytest.mark.browser
def test_skip_link_is_the_first_stop_and_visible_on_focus(page, world):
    login(page, "officer", WORLD_PASSWORD)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Aller au contenu"
    box = page.locator("a.skip").bounding_box()
    assert box is not None and box["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


@pytest.mark.browser
def test_pages_work_without_javascript(page, browser, live_server, world):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15000)
    base = live_server.url
    try:
        page.goto(base + "/comptes/connexion/")
        page.get_by_label("Identifiant").fill("national")
        page.get_by_label("Mot de passe").fill(WORLD_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(base + "/")
        assert page.get_by_role(
            "heading", level=2, name="Programme national · Sénégal"
        ).is_visible()
        page.get_by_role("button", name="English").click()
        page.wait_for_url(base + "/")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role(
            "heading", level=2, name="National programme · Sénégal"
        ).is_visible()
        page.set_viewport_size({"width": 360, "height": 740})
        page.get_by_text("Menu").click()  # <details>: opens without any script
        assert page.get_by_role("link", name="Home").is_visible()
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(base + "/comptes/connexion/")
    finally:
        context.close()


@pytest.mark.browser
def test_every_asset_comes_from_the_app(page, world):
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    statuses = {}
    page.on("response", lambda r: statuses.__setitem__(r.url, r.status))
    login(page, "national", WORLD_PASSWORD)
    assert page.evaluate("typeof htmx") == "object"  # the served htmx script ran
    assert all(url.startswith(page.base_url) for url in requested), requested
    css = page.base_url + "/static/css/sunucoop.css"
    htmx = [u for u in statuses if "/static/django_htmx/htmx" in u]
    assert statuses[css] == 200
    assert htmx and all(statuses[u] == 200 for u in htmx)
    assert page.request.get(css).status == 200


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/comptes/connexion/", "/comptes/mot-de-passe/oubli/"])
def test_public_pages_fit_a_360px_phone(page, path):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(page.base_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    name = path.strip("/").replace("/", "-")
    page.screenshot(path=str(SHOTS / f"{name}-360.png"), full_page=True)
