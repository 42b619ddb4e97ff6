"""Importing communes and whole hierarchies: every bad file gives a report by row, and a
file with any error writes nothing (issue 2, point 3)."""

import io
import time
from pathlib import Path

import pycountry
import pytest
from openpyxl import Workbook

from accounts.tests.factories import UserFactory
from core.errors import Forbidden, ValidationFailed
from geo.models import Area
from geo.services import areas_import

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"
GOOD = "code;name;department\nSN-TC-KPT-01;Koumpentoum;SN-TC-KPT\nSN-TH-MBO-01;Mbour;SN-TH-MBO\n"


def communes(content, *, filename="communes.csv", **kwargs):
    return areas_import(source=content, kind="communes", filename=filename, **kwargs)


def errors_of(report):
    return [(e["row"], e["column"], e["message"]) for e in report.as_dict()["errors"]]


def commune_count():
    return Area.objects.filter(level="commune").count()


def xlsx(rows) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------ the valid file


def test_valid_csv_creates_communes_under_their_departments():
    report = communes(GOOD.encode())
    assert report.as_dict() == {"created": 2, "updated": 0, "errors": []}
    kpt = Area.objects.get(code="SN-TC-KPT-01")
    assert (kpt.name, kpt.level, kpt.parent.code) == ("Koumpentoum", "commune", "SN-TC-KPT")
    assert kpt.path == "SN/SN-TC/SN-TC-KPT/SN-TC-KPT-01/"
    assert kpt.search_text == "koumpentoum sn-tc-kpt-01"


def test_valid_xlsx_with_french_headers():
    data = xlsx([["Code", "Nom", "Département"], ["SN-TH-THI-01", "Thiès", "SN-TH-THI"]])
    report = communes(data, filename="communes.xlsx")
    assert report.as_dict() == {"created": 1, "updated": 0, "errors": []}
    assert Area.objects.get(code="SN-TH-THI-01").name == "Thiès"


def test_dry_run_counts_but_writes_nothing():
    before = commune_count()
    report = communes(GOOD.encode(), dry_run=True)
    assert report.as_dict() == {"created": 2, "updated": 0, "errors": []}
    assert commune_count() == before


def test_semicolon_with_bom_as_french_excel_writes():
    data = b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode()
    assert communes(data).as_dict() == {"created": 2, "updated": 0, "errors": []}


def test_cp1252_file_keeps_its_accents():
    data = "code;name;department\nSN-TH-THI-01;Thiès;SN-TH-THI\n".encode("cp1252")
    assert communes(data).created == 1
    assert Area.objects.get(code="SN-TH-THI-01").name == "Thiès"


def test_history_records_the_importing_user():
    national = UserFactory(username="nat", is_superuser=True)
    communes(GOOD.encode(), actor=national)
    record = Area.objects.get(code="SN-TC-KPT-01").history.get()
    assert record.history_user == national and record.history_type == "+"


# ------------------------------------------------------------------ each bad file


def test_unknown_department_is_reported_by_row_and_nothing_written():
    data = GOOD + "SN-XX-01;Nulle part;SN-XX-YYY\nSN-TH-01;Thiès région;SN-TH\n"
    before = commune_count()
    report = communes(data.encode())
    assert errors_of(report) == [
        (4, "department", "Département inconnu : SN-XX-YYY."),
        (5, "department", "SN-TH n'est pas un département (c'est : région)."),
    ]
    assert (report.created, commune_count()) == (0, before)


def test_duplicate_code_in_the_file_and_in_the_database():
    communes(b"code;name;department\nSN-TC-KPT-01;Koumpentoum;SN-TC-KPT\n")
    data = (
        "code;name;department\n"
        "SN-TC-TAM-01;Tambacounda;SN-TC-TAM\n"
        "SN-TC-TAM-01;Tambacounda bis;SN-TC-TAM\n"
        "SN-TC-KPT-01;Koumpentoum;SN-TC-KPT\n"
    )
    report = communes(data.encode())
    assert errors_of(report) == [
        (3, "code", "Code SN-TC-TAM-01 en double dans le fichier (déjà ligne 2)."),
        (4, "code", "Le code SN-TC-KPT-01 existe déjà (« Koumpentoum »)."),
    ]
    assert not Area.objects.filter(code="SN-TC-TAM-01").exists()


def test_empty_name_and_empty_code():
    data = "code;name;department\nSN-TC-TAM-01;;SN-TC-TAM\n;Mbour;SN-TH-MBO\nA;B;\n"
    report = communes(data.encode())
    assert errors_of(report) == [
        (2, "name", "Le nom est obligatoire."),
        (3, "code", "Le code est obligatoire."),
        (4, "department", "Le code du département est obligatoire."),
    ]
    assert commune_count() == 0


def test_too_long_values():
    data = f"code;name;department\n{'C' * 40};{'N' * 130};SN-TC-TAM\n"
    assert [e[1] for e in errors_of(communes(data.encode()))] == ["code", "name"]


def test_wrong_columns():
    report = communes(b"code;commune_name;dept\nA;B;C\n")
    errors = errors_of(report)
    assert (1, "commune_name", "Colonne inconnue « commune_name ».") in errors
    assert (1, "dept", "Colonne inconnue « dept ».") in errors
    assert (1, "name", "Colonne obligatoire absente : « name ».") in errors
    assert (1, "department", "Colonne obligatoire absente : « department ».") in errors
    assert (1, "", "Colonnes attendues : code, name, department.") in errors
    assert report.created == 0


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf\r\n"])
def test_empty_file(content):
    assert errors_of(communes(content)) == [(0, "", "Le fichier est vide.")]


def test_header_only_file():
    assert errors_of(communes(b"code;name;department\n")) == [
        (1, "", "Le fichier ne contient aucune ligne de données sous l'en-tête.")
    ]


def test_file_over_the_limit_is_refused(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 10 * 1024 * 1024
    path = tmp_path / "communes.csv"
    row = b"SN-TC-TAM-0000001;Une commune au nom assez long pour la taille;SN-TC-TAM\n"
    path.write_bytes(b"code;name;department\n" + row * (10 * 1024 * 1024 // len(row) + 1))
    assert path.stat().st_size > 10 * 1024 * 1024
    [(row_number, column, message)] = errors_of(communes(path, filename=path.name))
    assert (row_number, column) == (0, "")
    assert message.startswith("Le fichier est trop volumineux (10 Mo)")
    assert "maximale autorisée est de 10 Mo" in message


def test_ten_megabyte_file_under_the_limit_is_fully_checked(tmp_path, settings):
    """A 10 MB file (about 150,000 communes) is read to the end: the one bad row near the
    end is named, and nothing at all is written (with IMPORT_MAX_ROWS raised to let that
    many rows in: by default a file stops at 20,000 rows, core/tests/test_tabular_hostile)."""
    settings.IMPORT_MAX_ROWS = 200_000
    path = tmp_path / "communes.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("code;name;department\n")
        n = 0
        while fh.tell() < 10 * 1024 * 1024:
            n += 1
            fh.write(f"SN-TC-TAM-{n:07d};Commune numéro {n} de Tambacounda;SN-TC-TAM\n")
        fh.write("SN-TC-TAM-LAST;Dernière;SN-ZZ-ZZZ\n")
    assert path.stat().st_size >= 10 * 1024 * 1024
    started = time.monotonic()
    report = communes(path, filename=path.name)
    elapsed = time.monotonic() - started
    assert errors_of(report) == [(n + 2, "department", "Département inconnu : SN-ZZ-ZZZ.")]
    assert commune_count() == 0
    assert elapsed < 30, elapsed


def test_error_while_writing_rolls_everything_back(monkeypatch):
    """If a write fails after validation (e.g. a concurrent insert), nothing stays."""
    from core.errors import Conflict
    from geo import imports

    real = imports.area_create

    def flaky(**kwargs):
        if kwargs["code"] == "SN-TH-MBO-01":
            raise Conflict("Le code SN-TH-MBO-01 existe déjà.", code="duplicate", field="code")
        return real(**kwargs)

    monkeypatch.setattr(imports, "area_create", flaky)
    report = communes(GOOD.encode())
    assert errors_of(report) == [(3, "code", "Le code SN-TH-MBO-01 existe déjà.")]
    assert (report.created, commune_count()) == (0, 0)


# ------------------------------------------------------------------ permissions


def test_only_the_national_level_may_import(world):
    for user in [world.agent_tc, world.officer, world.lender, world.member, world.nobody]:
        with pytest.raises(Forbidden):
            communes(GOOD.encode(), actor=user)
    other = "code;name;department\nSN-TC-TAM-01;Tambacounda;SN-TC-TAM\n"
    assert communes(other.encode(), actor=world.national, dry_run=True).ok


def test_unknown_kind():
    with pytest.raises(ValidationFailed):
        areas_import(source=GOOD.encode(), kind="villages", filename="x.csv")


# ------------------------------------------------------------------ hierarchy (Mali)


def test_mali_hierarchy_loads_like_senegal():
    report = areas_import(source=DATA / "ML-areas.csv", kind="hierarchy")
    assert report.as_dict()["errors"] == []
    lines = (DATA / "ML-areas.csv").read_text(encoding="utf-8").splitlines()
    assert report.created == len(lines) - 1
    mali = Area.objects.get(code="ML")
    assert (mali.level, mali.parent) == ("country", None)
    # Regions are exactly Mali's ISO 3166-2 first-level subdivisions.
    regions = {a.code: a.name for a in Area.objects.filter(level="region", parent=mali)}
    iso = {s.code: s.name for s in pycountry.subdivisions.get(country_code="ML")}
    assert regions == iso
    djenne = Area.objects.get(code="ML-5-DJE-01")
    assert djenne.path == "ML/ML-5/ML-5-DJE/ML-5-DJE-01/"
    assert [a.level for a in Area.objects.filter(path__startswith="ML/").order_by("path")][:3] == [
        "country",
        "region",
        "department",
    ]
    # Senegal is untouched, and the API's search finds Malian places too.
    assert Area.objects.get(code="SN-TH").parent.code == "SN"
    again = areas_import(source=DATA / "ML-areas.csv", kind="hierarchy", dry_run=True)
    assert len(again.errors) == report.created  # every code now exists


def test_senegal_data_file_is_a_valid_hierarchy_file():
    """The shipped SN file has the same format: checking it reports only 'exists already'."""
    report = areas_import(source=DATA / "SN-areas.csv", kind="hierarchy", dry_run=True)
    assert report.errors and all("existe déjà" in e.message for e in report.errors)


def test_hierarchy_errors_by_row():
    data = (
        "code;niveau;name;parent\n"
        "ZZ;pays;Zedland;\n"
        "ZZ-1;région;Nord;ZZ\n"
        "ZZ-1-A;commune;Village;ZZ-1\n"
        "ZZ-2;region;Sud;\n"
        "ZZ-3;province;Est;ZZ\n"
        "ZZ-4;region;Ouest;QQ\n"
        "ZY;country;Autre;ZZ\n"
        "ZZ-1-B;département;Bas;ZZ-1\n"
    )
    report = areas_import(source=data.encode(), kind="hierarchy", filename="h.csv")
    assert errors_of(report) == [
        (4, "parent", "La zone parente ZZ-1 doit être de niveau « département »."),
        (5, "parent", "La zone parente est obligatoire."),
        (
            6,
            "level",
            "Niveau inconnu « province » : attendu country, region, department ou commune.",
        ),
        (
            7,
            "parent",
            "Zone parente inconnue : QQ (elle doit exister ou figurer plus haut dans le fichier).",
        ),
        (8, "parent", "Un pays n'a pas de zone parente."),
    ]
    assert not Area.objects.filter(code__startswith="Z").exists()
    good = "\n".join(data.splitlines()[:3] + [data.splitlines()[-1]]) + "\n"
    report = areas_import(source=good.encode(), kind="hierarchy", filename="h.csv")
    assert report.as_dict() == {"created": 3, "updated": 0, "errors": []}
    assert Area.objects.get(code="ZZ-1-B").path == "ZZ/ZZ-1/ZZ-1-B/"
