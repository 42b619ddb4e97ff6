"""Shared test fixtures. Browser tests need Debian's chromium; without it they are skipped
with a loud notice (CI installs it and sets SUNUCOOP_REQUIRE_BROWSER=1 so they never skip)."""

import os
import shutil
import sys

import pytest

os.environ.setdefault("SUNUCOOP_TESTING", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API + live_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    browser_items = [i for i in items if "browser" in i.keywords]
    if CHROMIUM or not browser_items:
        return
    if os.environ.get("SUNUCOOP_REQUIRE_BROWSER"):
        raise pytest.UsageError(
            "Chromium is required here (SUNUCOOP_REQUIRE_BROWSER=1) but absent."
        )
    banner = (
        "\n" + "!" * 78 + f"\n!! Chromium not found: {len(browser_items)} BROWSER TESTS SKIPPED."
        "\n!! Install it with: apt-get install -y chromium\n" + "!" * 78 + "\n"
    )
    sys.stderr.write(banner)
    config._sunucoop_browser_banner = banner
    skip = pytest.mark.skip(reason="Chromium absent (apt-get install -y chromium)")
    for item in browser_items:
        item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    banner = getattr(config, "_sunucoop_browser_banner", None)
    if banner:
        terminalreporter.write(banner, red=True, bold=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.base_url = live_server.url
    yield pg
    context.close()


@pytest.fixture
def world(db):
    """One user per role over a small two-region world (accounts/tests/world.py)."""
    from accounts.tests.world import build_world

    return build_world()


@pytest.fixture
def api_client(client):
    """``api_client(user)`` -> a client whose requests carry that user's Bearer token."""
    from django.test import Client

    from accounts.services import api_token_issue

    def make(user):
        token = api_token_issue(user=user, actor=user)
        return Client(headers={"Authorization": f"Bearer {token}"})

    return make
