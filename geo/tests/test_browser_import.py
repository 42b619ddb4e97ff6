"""The admin import page in a real browser: upload a bad file, read the report table,
then import a good one."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.mark.browser
def test_admin_imports_communes_with_a_report(page, transactional_db, tmp_path):
    from accounts.tests.factories import UserFactory
    from geo.models import Area

    UserFactory(username="root", is_staff=True, is_superuser=True)
    bad = tmp_path / "communes.csv"
    bad.write_bytes(
        "code;nom;département\nSN-TC-TAM-01;;SN-TC-TAM\nSN-X;X;SN-NOPE\n".encode("cp1252")
    )
    good = tmp_path / "communes-ok.csv"
    good.write_bytes(
        b"\xef\xbb\xbfcode;nom;d\xc3\xa9partement\r\nSN-TC-TAM-01;Tambacounda;SN-TC-TAM\r\n"
    )

    page.goto(page.base_url + "/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "sunucoop-test-pw")
    page.click("input[type=submit]")
    page.goto(page.base_url + "/admin/geo/area/")
    page.get_by_role("link", name="Importer des communes").click()
    page.wait_for_url(re.compile(r"/admin/geo/area/import/$"))

    page.set_input_files("#id_file", str(bad))
    page.uncheck("#id_dry_run")
    page.get_by_role("button", name="Vérifier et importer").click()
    table = page.locator("#import-report")
    expect(table).to_contain_text("Le nom est obligatoire.")
    expect(table).to_contain_text("Département inconnu : SN-NOPE.")
    expect(page.get_by_text("2 erreur(s) : rien n'a été enregistré.")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "geo-admin-import-errors.png"), full_page=True)
    assert not Area.objects.filter(code="SN-TC-TAM-01").exists()

    page.set_input_files("#id_file", str(good))
    page.uncheck("#id_dry_run")
    page.get_by_role("button", name="Vérifier et importer").click()
    expect(page.locator("#import-summary")).to_have_text("1 créé(s), 0 mis à jour.")
    page.screenshot(path=str(SHOTS / "geo-admin-import-done.png"), full_page=True)
    assert Area.objects.get(code="SN-TC-TAM-01").name == "Tambacounda"
