"""Real Chromium: the national role drills down national → region → department → commune;
each figure opens the records behind it. A few rows built here (not the demo data)."""

from __future__ import annotations

import re

import pytest

from geo.models import Area
from monitoring.selectors import default_as_of, indicator_values


def login(page, username: str) -> None:
    page.goto(page.base_url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill("sunucoop-test-pw")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(page.base_url + "/")


def figure(page, code: str) -> str:
    return page.locator(f'[data-testid="indicators"] tr[data-code="{code}"] td').first.inner_text()


@pytest.mark.browser
def test_national_drills_down_to_a_commune_and_opens_the_records(page, transactional_db, world):
    import datetime

    today = datetime.date.today()
    mbour = Area.objects.get(code="SN-TH-MBO-01")
    expected = {
        r["code"]: r["value"]
        for r in indicator_values(
            actor=world.national,
            area=mbour,
            year=today.year,
            as_of=default_as_of(today.year, today),
        )
    }
    login(page, "national")
    page.goto(page.base_url + "/suivi/")
    assert page.get_by_role("heading", level=1).inner_text().endswith("Sénégal")
    assert figure(page, "cooperatives_total") == "3"
    breakdown = page.get_by_test_id("breakdown")
    breakdown.get_by_role("link", name="Thiès", exact=True).click()
    page.wait_for_url(re.compile(r"area=SN-TH&"))
    assert figure(page, "cooperatives_total") == "2"
    page.get_by_test_id("breakdown").get_by_role("link", name="Mbour", exact=True).click()
    page.wait_for_url(re.compile(r"area=SN-TH-MBO&"))
    page.get_by_test_id("breakdown").get_by_role("link", name="Mbour", exact=True).click()
    page.wait_for_url(re.compile(r"area=SN-TH-MBO-01&"))
    assert page.get_by_test_id("breakdown").count() == 0  # a commune has no children
    assert figure(page, "members_total") == str(expected["members_total"]) == "3"
    crumbs = page.get_by_role("navigation", name="Fil d’Ariane")
    assert crumbs.get_by_role("link").all_inner_texts() == ["Sénégal", "Thiès", "Mbour"]

    # Every figure opens the records behind it, for this commune.
    for code in ["members_total", "cooperatives_total", "production_value"]:
        page.locator(f'tr[data-code="{code}"] td a').first.click()
        page.wait_for_url(re.compile(rf"/suivi/indicateurs/{code}/\?area=SN-TH-MBO-01"))
        count = page.get_by_test_id("records-count").inner_text()
        if code == "members_total":
            assert count.startswith("3 ")
            assert page.get_by_test_id("records").locator("tbody tr").count() == 3
        if code == "cooperatives_total":
            assert page.get_by_role("link", name=world.coop_mbour.name).is_visible()
        page.go_back()
    crumbs.get_by_role("link", name="Sénégal").click()
    page.wait_for_url(re.compile(r"area=SN&"))
    assert figure(page, "cooperatives_total") == "3"
