"""Issue 14, point 4: export -> import is a round trip. A value our CSV export neutralises
(``'=...``, ``'+221...``, ``'-Awa``) comes back as typed: re-importing the export of the
registry creates nobody new and changes nothing, in CSV and XLSX; the web form and the API
answer a hostile spreadsheet with a clear error, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.export import csv_bytes, xlsx_bytes
from registry.exports import person_export
from registry.imports import run_import
from registry.models import Person
from registry.services import person_update


@pytest.fixture
def hostile_names(world):
    first, second, third = world.persons_tc
    person_update(
        actor=world.national,
        person=first,
        first_name="-Awa",
        last_name="=1+1",
        phone="77 123 45 67",
    )
    person_update(actor=world.national, person=second, last_name="@SUM(A1)", phone="")
    person_update(actor=world.national, person=third, first_name="+Binta")
    return world


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_person_export_reimports_without_new_persons_or_apostrophes(hostile_names, fmt):
    world = hostile_names
    before = {p.pk: (p.first_name, p.last_name, p.phone) for p in Person.objects.all()}
    headers, rows = person_export(actor=world.agent_tc)
    data = (csv_bytes if fmt == "csv" else xlsx_bytes)(headers, list(rows))
    if fmt == "csv":
        text = data.decode("utf-8-sig")
        assert "'-Awa" in text and "'=1+1" in text and "'@SUM(A1)" in text and "'+221" in text
    report = run_import("persons", data, actor=world.agent_tc, filename=f"personnes.{fmt}")
    assert (report.created, report.updated, report.errors) == (0, 0, [])
    after = {p.pk: (p.first_name, p.last_name, p.phone) for p in Person.objects.all()}
    assert after == before
    assert not Person.objects.filter(first_name__startswith="'").exists()


def test_the_apostrophe_would_have_made_a_second_person(hostile_names):
    """The round trip above can fail: a file keeping the apostrophe (as a raw text reader
    would) is a different name, hence a new person."""
    world = hostile_names
    headers = ["Prénom", "Nom", "Sexe", "Commune"]
    rows = [["'x-Awa", "=1+1", "F", world.koumpentoum.code]]
    report = run_import("persons", csv_bytes(headers, rows), actor=world.agent_tc, filename="p.csv")
    assert report.created == 1


def bad_shared_string_xlsx() -> bytes:
    from core.tests.test_tabular_hostile import shared_strings_xlsx

    rows = [["prénom", "nom", "sexe"], ["Awa", "Diop", "F"]]
    return _break_last_shared_string(shared_strings_xlsx(rows))


def test_api_answers_a_broken_sheet_with_400_and_the_report(world, api_client):
    client = api_client(world.agent_tc)
    upload = SimpleUploadedFile("p.xlsx", bad_shared_string_xlsx())
    response = client.post("/api/v1/imports/persons", {"file": upload})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_errors" and body["created"] == 0
    [error] = body["errors"]
    assert error["row"] == 2 and "illisible à partir de la ligne 2" in error["message"]
    assert Person.objects.count() == 9


def test_api_refuses_a_zip_bomb_with_400(world, api_client):
    from core.tests.test_tabular_hostile import SHEET, rewrite, xlsx

    bomb = rewrite(xlsx([["prénom", "nom", "sexe"]]), SHEET, lambda b: b + b" " * 5_000_000)
    response = api_client(world.agent_tc).post(
        "/api/v1/imports/persons", {"file": SimpleUploadedFile("p.xlsx", bomb)}
    )
    assert response.status_code == 400
    assert "taux de compression anormal" in response.json()["errors"][0]["message"]


def test_admin_area_import_page_shows_the_error_in_the_form(db, client):
    from accounts.tests.factories import UserFactory
    from core.tests.test_tabular_hostile import shared_strings_xlsx

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    data = shared_strings_xlsx([["code", "name", "department"], ["SN-X-1", "X", "SN-TH-MBO"]])
    url = reverse("admin:geo_area_import")
    ok = client.post(url, {"kind": "communes", "dry_run": "on", "file": _upload(data)})
    assert ok.status_code == 200 and "illisible" not in ok.content.decode()  # a sound file
    broken = _break_last_shared_string(data)  # a broken one: answered in the page
    response = client.post(url, {"kind": "communes", "dry_run": "on", "file": _upload(broken)})
    assert response.status_code == 200
    assert "illisible à partir de la ligne 2" in response.content.decode()


def _upload(data: bytes):
    return SimpleUploadedFile("communes.xlsx", data)


def _break_last_shared_string(data: bytes) -> bytes:
    from core.tests.test_tabular_hostile import SHEET, rewrite

    def change(body: bytes) -> bytes:
        at = body.rindex(b't="s"><v>') + len(b't="s"><v>')
        end = body.index(b"</v>", at)
        return body[:at] + b"999" + body[end:]

    return rewrite(data, SHEET, change)
