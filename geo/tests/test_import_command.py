"""``manage.py import_areas``: French report, non-zero exit on any error, dry run."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from geo.models import Area

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_areas", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_communes_imported(tmp_path):
    path = tmp_path / "communes.csv"
    path.write_text("code;name;department\nSN-TC-KPT-01;Koumpentoum;SN-TC-KPT\n", "utf-8")
    out, _ = run(str(path))
    assert "1 créé(s), 0 mis à jour." in out
    assert Area.objects.filter(code="SN-TC-KPT-01", level="commune").exists()


def test_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "communes.csv"
    path.write_text("code;name;department\nSN-TC-KPT-01;Koumpentoum;SN-TC-KPT\n", "utf-8")
    out, _ = run(str(path), "--dry-run")
    assert "Simulation : 1 à créer" in out
    assert not Area.objects.filter(code="SN-TC-KPT-01").exists()


def test_errors_printed_by_row_in_french_and_command_fails(tmp_path):
    path = tmp_path / "communes.csv"
    path.write_text("code;name;department\nSN-TC-KPT-01;;SN-TC-KPT\nSN-X;X;SN-NOPE\n", "utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="2 erreur\\(s\\) : rien n'a été enregistré."):
        call_command("import_areas", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "ligne 2, colonne « name » : Le nom est obligatoire.",
        "ligne 3, colonne « department » : Département inconnu : SN-NOPE.",
    ]
    assert Area.objects.filter(level="commune").count() == 0


def test_file_level_errors_and_missing_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_areas", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().strip() == "fichier : Le fichier est vide."
    with pytest.raises(CommandError, match="Fichier introuvable"):
        run(str(tmp_path / "absent.csv"))


def test_mali_hierarchy_through_the_command():
    out, _ = run(str(DATA / "ML-areas.csv"), "--kind", "hierarchy")
    assert "32 créé(s)" in out
    assert Area.objects.get(code="ML-BKO").name == "Bamako"
