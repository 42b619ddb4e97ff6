"""Real Chromium at 360 px (issue 14, point 10): the arrears list, the loans list, the trial
balance, the cooperative's members and jobs, and its share register show every money cell
inside the screen (one card per row, "label: value"), with no sideways scrolling; at
desktop width they stay tables. Screenshots go to var/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

# The cells of each table, measured: money and counts are ``td.num``.
CELLS = "table.cards td.num, table.cards tfoot th.num"


@pytest.fixture
def phone_world(transactional_db):
    """The matrix world's registry, credit, capital and books (committed for the server)."""
    from django.db import transaction

    from accounts.tests.world import build_world
    from capital.tests import authz_matrix as capital
    from credit.portfolio import refresh_all
    from credit.tests import authz_matrix as credit
    from ledger.tests import authz_matrix as ledger
    from registry.tests import authz_matrix as registry

    with transaction.atomic():
        world = build_world()
        objs: dict = {}
        for module in (registry, credit, capital, ledger):
            module.build(world, objs)
    refresh_all(as_of=timezone.localdate())
    return world


def pages(world) -> dict[str, str]:
    coop = world.coop_tc.pk
    return {
        "arrears": "/credit/impayes/",
        "loans": "/credit/prets/",
        "trial-balance": f"/comptabilite/{coop}/balance/?date_from=2026-01-01&date_to=2026-12-31",
        "cooperative-members": f"/registre/cooperatives/{coop}/",
        "share-register": f"/capital/cooperatives/{coop}/",
    }


def offscreen_cells(page) -> list[str]:
    """The measured cells that are not wholly inside the viewport's width."""
    return page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector)).flatMap((el) => {
            const r = el.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) return [];  // an empty cell, hidden
            return (r.left < 0 || r.right > window.innerWidth + 0.5)
                ? [`${el.dataset.label || el.textContent.trim()}: ${r.left}-${r.right}`] : [];
        })""",
        CELLS,
    )


def sign_in(page, username: str) -> None:
    page.goto(page.base_url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill("sunucoop-test-pw")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(page.base_url + "/")


@pytest.mark.browser
def test_money_cells_stay_on_a_phone_screen(page, phone_world):
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, "national")
    for name, url in pages(phone_world).items():
        page.set_viewport_size(PHONE)
        page.goto(page.base_url + url)
        cells = page.locator(CELLS)
        assert cells.count() > 0, f"{name}: no money cell to measure"
        assert offscreen_cells(page) == [], f"{name}: cells off the 360-px screen"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name}: the page scrolls sideways ({width} px)"
        label = page.evaluate(
            "getComputedStyle(document.querySelector('table.cards td.num'), '::before').content"
        )
        assert label not in ("none", "normal", '""'), f"{name}: the cells show no label"
        page.screenshot(path=str(SHOTS / f"phone-cards-{name}-360.png"), full_page=True)

        page.set_viewport_size(DESKTOP)
        page.goto(page.base_url + url)
        display = page.evaluate(
            "getComputedStyle(document.querySelector('table.cards tbody tr')).display"
        )
        assert display == "table-row", f"{name}: not a table at desktop width ({display})"
        page.screenshot(path=str(SHOTS / f"phone-cards-{name}-desktop.png"), full_page=True)
