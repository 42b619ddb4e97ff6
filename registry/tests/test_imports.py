"""Imports (registry/imports.py): all or nothing, every error by row and column, idempotent."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from core.errors import Forbidden
from core.export import csv_bytes, xlsx_bytes
from registry.exports import cooperative_export, member_export, person_export
from registry.imports import run_import
from registry.models import Cooperative, Membership, Person
from registry.tests.factories import founders, registered

COOPS_CSV = (
    "nom;forme juridique;commune;secteur;maillon;numéro RSC;date de création;téléphone\r\n"
    "Coopérative des brodeuses de Mbour;SCOOPS;SN-TH-MBO-01;couture-habillement;production;"
    "SN-MBR-2025-C-1;01/03/2025;77 100 00 01\r\n"
    "Coopérative des potières de Thiès;COOP-CA;SN-TH-THI-01;artisanat;source;;15/04/2025;\r\n"
)


def csv(text: str, encoding="utf-8-sig") -> bytes:
    return text.encode(encoding)


def test_cooperatives_csv_import_and_reimport_creates_nothing_new(world):
    report = run_import("cooperatives", csv(COOPS_CSV), actor=world.agent_th, filename="c.csv")
    assert report.errors == [] and (report.created, report.updated) == (2, 0)
    coop = Cooperative.objects.get(registration_number="SN-MBR-2025-C-1")
    assert coop.phone == "+221771000001" and coop.stage == "sensibilisee"
    assert coop.transitions.count() == 1
    again = run_import("cooperatives", csv(COOPS_CSV), actor=world.agent_th, filename="c.csv")
    assert (again.created, again.updated, again.errors) == (0, 0, [])
    assert Cooperative.objects.count() == 5


def test_changed_row_updates(world):
    run_import("cooperatives", csv(COOPS_CSV), actor=world.agent_th, filename="c.csv")
    changed = COOPS_CSV.replace("source;;15/04/2025;", "technologique;;15/04/2025;")
    report = run_import("cooperatives", csv(changed), actor=world.agent_th, filename="c.csv")
    assert (report.created, report.updated) == (0, 1)
    assert Cooperative.objects.get(name__contains="potières").value_chain_stage == "technologique"


def test_cp1252_and_comma_separated_files(world):
    text = COOPS_CSV.replace(";", ",")
    report = run_import("cooperatives", csv(text, "cp1252"), actor=world.agent_th, filename="c.csv")
    assert report.errors == [] and report.created == 2
    assert Cooperative.objects.filter(name="Coopérative des potières de Thiès").exists()


def test_dry_run_reports_and_writes_nothing(world):
    report = run_import(
        "cooperatives", csv(COOPS_CSV), actor=world.agent_th, dry_run=True, filename="c.csv"
    )
    assert report.dry_run and report.created == 2 and report.errors == []
    assert Cooperative.objects.count() == 3


def test_every_error_by_row_and_column_and_nothing_written(world):
    bad = (
        "nom;forme juridique;commune;secteur;maillon;date de création;téléphone\r\n"
        "Bonne;SCOOPS;SN-TH-MBO-01;artisanat;production;01/03/2025;\r\n"
        ";SARL;SN-XX-01;inconnu;production;31/02/2025;123\r\n"
        "Bonne;SCOOPS;SN-TH-MBO-01;artisanat;production;;\r\n"
    )
    report = run_import("cooperatives", csv(bad), actor=world.agent_th, filename="c.csv")
    got = {(e.row, e.column) for e in report.errors}
    assert got == {
        (3, "name"),
        (3, "legal_form"),
        (3, "commune"),
        (3, "sector"),
        (3, "founded_on"),
        (3, "phone"),
        (4, "name"),
    }
    assert all(e.message for e in report.errors)
    assert report.created == 0
    assert not Cooperative.objects.filter(name="Bonne").exists()


def test_service_errors_at_write_cancel_everything(world):
    # Tambacounda commune: the Thiès agent may not register there (found on write)
    text = COOPS_CSV + ("Coopérative de Koumpentoum;SCOOPS;SN-TC-KPT-01;artisanat;source;;;\r\n")
    report = run_import("cooperatives", csv(text), actor=world.agent_th, filename="c.csv")
    assert [(e.row, e.column) for e in report.errors] == [(4, "commune")]
    assert report.created == 0
    assert Cooperative.objects.count() == 3
    dry = run_import(
        "cooperatives", csv(text), actor=world.agent_th, filename="c.csv", dry_run=True
    )
    assert [(e.row, e.column) for e in dry.errors] == [(4, "commune")]


@pytest.mark.parametrize(
    ("content", "filename", "fragment"),
    [
        (b"", "c.csv", "vide"),
        (b"nom;commune\r\nX;Y\r\n", "c.csv", "obligatoire absente"),
        (b"\xd0\xcf\x11\xe0 old excel", "c.xls", ".xls"),
        (b"PK\x03\x04 not really", "c.xlsx", "valide"),
        (b"nom;forme juridique;commune;secteur;maillon;couleur\r\n", "c.csv", "inconnue"),
    ],
)
def test_bad_files_are_reported_on_row_0_or_the_header(world, content, filename, fragment):
    report = run_import("cooperatives", content, actor=world.agent_th, filename=filename)
    assert report.errors and fragment in " ".join(e.message for e in report.errors)
    assert Cooperative.objects.count() == 3


def test_xlsx_import(world):
    wb = Workbook()
    ws = wb.active
    ws.append(["Prénom", "Nom", "Sexe", "Date de naissance", "Téléphone", "CNI", "Commune"])
    import datetime

    ws.append(["Awa", "Ndiaye", "F", datetime.date(1995, 5, 4), "781112233", None, "SN-TH-MBO-01"])
    ws.append(["Modou", "Faye", "homme", "04/05/1980", None, "1 234 5678 90123", None])
    buf = io.BytesIO()
    wb.save(buf)
    report = run_import("persons", buf.getvalue(), actor=world.agent_th, filename="p.xlsx")
    assert report.errors == [] and report.created == 2
    awa = Person.objects.get(first_name="Awa", last_name="Ndiaye")
    assert awa.phone == "+221781112233" and awa.birth_date == datetime.date(1995, 5, 4)
    assert Person.objects.get(last_name="Faye").national_id == "1234567890123"
    again = run_import("persons", buf.getvalue(), actor=world.agent_th, filename="p.xlsx")
    assert (again.created, again.updated) == (0, 0)


def test_persons_import_errors(world):
    text = (
        "prénom;nom;sexe;date de naissance;téléphone;cni\r\n"
        "Awa;;X;2099-01-01;12;#\r\n"
        "Yacine;Mbaye;F;;;1234567890123\r\n"
        "Yacine;Mbaye;F;;;1234567890123\r\n"
    )
    report = run_import("persons", csv(text), actor=world.agent_th, filename="p.csv")
    assert {(e.row, e.column) for e in report.errors} == {
        (2, "last_name"),
        (2, "sex"),
        (2, "birth_date"),
        (2, "phone"),
        (2, "national_id"),
        (4, "national_id"),
    }
    assert not Person.objects.filter(first_name="Yacine", last_name="Mbaye").exists()


def test_members_import(world):
    coop = registered(world.agent_tc, world.koumpentoum, registration_number="RSC-KPT-1")
    p1 = world.persons_tc[0]
    p1.national_id = "1000000000001"
    p1.save()
    p2 = world.persons_tc[1]
    p2.phone = "+221770000002"
    p2.save()
    text = (
        "coopérative;cni;téléphone;date d'adhésion;rôle;date de sortie\r\n"
        "RSC-KPT-1;1000000000001;;01/04/2025;président(e);\r\n"
        f"{coop.pk};;77 000 00 02;01/04/2025;membre;30/06/2025\r\n"
    )
    report = run_import("members", csv(text), actor=world.agent_tc, filename="m.csv")
    assert report.errors == [] and report.created == 2
    assert Membership.objects.get(cooperative=coop, person=p1).role == "president"
    assert Membership.objects.get(cooperative=coop, person=p2).status == "left"
    again = run_import("members", csv(text), actor=world.agent_tc, filename="m.csv")
    assert (again.created, again.updated, again.errors) == (0, 0, [])
    assert Membership.objects.filter(cooperative=coop).count() == 2


def test_members_import_errors_and_scope(world):
    text = (
        "coopérative;cni;date d'adhésion\r\n"
        f"{world.coop_tc.pk};9999999999999;01/04/2025\r\n"
        "NOPE;;\r\n"
    )
    report = run_import("members", csv(text), actor=world.agent_tc, filename="m.csv")
    assert {(e.row, e.column) for e in report.errors} == {
        (2, "national_id"),
        (3, "cooperative"),
        (3, "joined_on"),
    }
    # a cooperative out of scope is unknown to the importer
    out = run_import("members", csv(text), actor=world.agent_th, filename="m.csv")
    assert (2, "cooperative") in {(e.row, e.column) for e in out.errors}


def test_members_import_checks_ohada_committee(world):
    coop = registered(world.agent_tc, world.koumpentoum, registration_number="RSC-KPT-2")
    founders(world.agent_tc, coop, 3, roles=["president", "secretaire", "tresorier"])
    p = world.persons_tc[0]
    p.national_id = "1000000000009"
    p.save()
    text = (
        "coopérative;cni;date d'adhésion;rôle\r\nRSC-KPT-2;1000000000009;01/04/2025;tresorier\r\n"
    )
    report = run_import("members", csv(text), actor=world.agent_tc, filename="m.csv")
    assert [(e.row, e.column) for e in report.errors] == [(2, "role")]
    assert "comité" in report.errors[0].message


def test_read_only_roles_may_not_import(world):
    with pytest.raises(Forbidden):
        run_import("persons", csv(COOPS_CSV), actor=world.officer, filename="c.csv")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_reimports_as_is(world, fmt):
    founders(world.agent_tc, world.coop_tc, 2)
    world.coop_tc.latitude = "13.987654"
    world.coop_tc.save()
    write = csv_bytes if fmt == "csv" else xlsx_bytes
    for kind, export in [("cooperatives", cooperative_export), ("persons", person_export)]:
        headers, rows = export(actor=world.agent_tc)
        report = run_import(kind, write(headers, rows), actor=world.agent_tc, filename=f"x.{fmt}")
        assert (report.created, report.updated, report.errors) == (0, 0, []), kind


def test_member_export_has_the_members(world):
    headers, rows = member_export(actor=world.agent_tc, cooperative=world.coop_tc)
    rows = list(rows)
    assert len(rows) == 3 and headers[0] == "Coopérative"


def test_export_is_safe_against_formula_injection(world):
    from registry.services import cooperative_update

    cooperative_update(
        actor=world.national,
        cooperative=world.coop_tc,
        name='=HYPERLINK("http://x")',
        address="+33 cmd",
    )
    headers, rows = cooperative_export(actor=world.national, filters={"q": "hyperlink"})
    text = csv_bytes(headers, rows).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+33 cmd" in text


def test_management_command(world, tmp_path, capsys):
    path = tmp_path / "c.csv"
    path.write_bytes(csv(COOPS_CSV))
    call_command("import_registry", "cooperatives", str(path), "--user", "agent-th", "--dry-run")
    assert Cooperative.objects.count() == 3
    call_command("import_registry", "cooperatives", str(path), "--user", "agent-th")
    assert Cooperative.objects.count() == 5
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"nom;commune\r\nX;Y\r\n")
    with pytest.raises(CommandError):
        call_command("import_registry", "cooperatives", str(bad), "--user", "agent-th")


def test_api_import(world, api_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api_client(world.agent_th)
    upload = SimpleUploadedFile("c.csv", csv(COOPS_CSV), content_type="text/csv")
    r = client.post("/api/v1/imports/cooperatives", {"file": upload, "dry_run": "true"})
    assert r.status_code == 200, r.json()
    assert r.json() == {"created": 2, "updated": 0, "errors": [], "dry_run": True}
    assert Cooperative.objects.count() == 3
    upload = SimpleUploadedFile("c.csv", csv(COOPS_CSV), content_type="text/csv")
    r = client.post("/api/v1/imports/cooperatives", {"file": upload})
    assert r.status_code == 200 and r.json()["created"] == 2
    upload = SimpleUploadedFile("c.csv", b"nom\r\nX\r\n", content_type="text/csv")
    r = client.post("/api/v1/imports/cooperatives", {"file": upload})
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "import_errors" and body["errors"][0]["row"] == 1
    upload = SimpleUploadedFile("c.csv", csv(COOPS_CSV), content_type="text/csv")
    assert client.post("/api/v1/imports/nope", {"file": upload}).status_code == 404
    upload = SimpleUploadedFile("c.csv", csv(COOPS_CSV), content_type="text/csv")
    r = api_client(world.officer).post("/api/v1/imports/cooperatives", {"file": upload})
    assert r.status_code == 403
