"""core.tabular: reading CSV/XLSX as field staff write them, and the all-or-nothing pattern."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.errors import ValidationFailed
from core.tabular import (
    CellError,
    Column,
    ImportReport,
    RowError,
    TableFileError,
    TabularImport,
    column_error,
    parse_date,
    parse_decimal,
    parse_int,
    read_table,
)

COLUMNS = [Column("code"), Column("name", aliases=("nom",)), Column("note", required=False)]


def rows_of(source, **kwargs):
    table = read_table(source, columns=COLUMNS, **kwargs)
    return [(r.number, dict(r)) for r in table.rows()]


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def file_errors(source, **kwargs) -> list[RowError]:
    with pytest.raises(TableFileError) as info:
        rows_of(source, **kwargs)
    return info.value.errors


# ---------------------------------------------------------------- CSV flavours


def test_comma_csv_utf8():
    data = "code,name\nA1,Thiès\nA2,Mbour\n".encode()
    assert rows_of(data, filename="x.csv") == [
        (2, {"code": "A1", "name": "Thiès"}),
        (3, {"code": "A2", "name": "Mbour"}),
    ]


def test_semicolon_csv_with_bom_as_french_excel_writes():
    data = b"\xef\xbb\xbf" + "Code;Nom\r\nA1;Thiès\r\n".encode()
    table = read_table(data, columns=COLUMNS, filename="x.csv")
    assert table.delimiter == ";"
    assert table.encoding == "utf-8"
    assert [dict(r) for r in table.rows()] == [{"code": "A1", "name": "Thiès"}]


def test_cp1252_csv_is_read_with_its_accents():
    data = "code;name\nA1;Thiès\nA2;Kédougou\n".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    table = read_table(data, columns=COLUMNS, filename="x.csv")
    assert table.encoding == "cp1252"
    assert [r["name"] for r in table.rows()] == ["Thiès", "Kédougou"]


def test_headers_match_ignoring_case_accents_spaces_and_underscores():
    cols = [Column("department"), Column("name")]
    data = " DÉPARTEMENT ; Name \nX;Y\n".encode()
    with pytest.raises(TableFileError):
        read_table(data, columns=cols, filename="x.csv")  # "departement" is not an alias
    cols = [Column("department", aliases=("département",)), Column("code_commune")]
    data = " DÉPARTEMENT ; Code  Commune \nX;Y\n".encode()
    table = read_table(data, columns=cols, filename="x.csv")
    assert [dict(r) for r in table.rows()] == [{"department": "X", "code_commune": "Y"}]


def test_quoted_cells_and_row_numbers_skip_blank_lines():
    data = b'code;name;note\nA1;"Dakar; Plateau";"deux\nlignes"\n;;\nA2;B;\n'
    rows = rows_of(data, filename="x.csv")
    assert rows[0] == (2, {"code": "A1", "name": "Dakar; Plateau", "note": "deux lignes"})
    assert rows[1] == (4, {"code": "A2", "name": "B", "note": ""})


def test_optional_column_may_be_absent():
    assert rows_of(b"code;name\nA;B\n", filename="x.csv") == [(2, {"code": "A", "name": "B"})]


# ---------------------------------------------------------------- XLSX


def test_xlsx_values_come_out_as_text_with_spreadsheet_row_numbers():
    data = xlsx(
        [
            ["Code", "Nom", "Note"],
            [101, "Thiès", dt.datetime(2024, 3, 1)],
            [None, None, None],
            [102.0, "  Mbour ", 2.5],
        ]
    )
    assert rows_of(data, filename="communes.xlsx") == [
        (2, {"code": "101", "name": "Thiès", "note": "2024-03-01"}),
        (4, {"code": "102", "name": "Mbour", "note": "2.5"}),
    ]


def test_xlsx_detected_by_content_without_extension(tmp_path):
    path = tmp_path / "upload"
    path.write_bytes(xlsx([["code", "name"], ["A", "B"]]))
    assert rows_of(path) == [(2, {"code": "A", "name": "B"})]


def test_uploaded_file_is_read():
    upload = SimpleUploadedFile("c.csv", b"code;name\nA;B\n", content_type="text/csv")
    assert rows_of(upload) == [(2, {"code": "A", "name": "B"})]


def test_corrupt_xlsx_and_legacy_xls_are_refused_clearly():
    [err] = file_errors(b"PK\x03\x04 not really a zip", filename="x.xlsx")
    assert "classeur Excel" in err.message and err.row == 0
    [err] = file_errors(b"\xd0\xcf\x11\xe0" + b"\0" * 100, filename="x.xls")
    assert ".xls" in err.message


# ---------------------------------------------------------------- bad files


def test_wrong_columns_are_all_reported_on_the_header_row():
    errors = file_errors("Code;Libellé;Région\nA;B;C\n".encode(), filename="x.csv")
    by_column = {e.column: e.message for e in errors}
    assert all(e.row == 1 for e in errors)
    assert "inconnue" in by_column["Libellé"] and "inconnue" in by_column["Région"]
    assert "obligatoire absente" in by_column["name"]
    assert "code, name, note" in by_column[""]
    assert "code" not in by_column  # the good column is not blamed


def test_unknown_columns_may_be_allowed():
    table = read_table(b"code;name;extra\nA;B;C\n", columns=COLUMNS, allow_unknown=True)
    assert [dict(r) for r in table.rows()] == [{"code": "A", "name": "B"}]


def test_duplicate_column_is_reported():
    errors = file_errors(b"code;name;nom\nA;B;C\n", filename="x.csv")
    assert any("deux fois" in e.message and e.column == "name" for e in errors)


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n  \n", b";;;\n;;\n"])
def test_empty_file(content):
    [err] = file_errors(content, filename="x.csv")
    assert err.message == "Le fichier est vide."
    assert err.row == 0


def test_header_without_data_is_reported():
    [err] = file_errors(b"code;name\n;\n", filename="x.csv")
    assert "aucune ligne de données" in err.message and err.row == 1


def test_empty_xlsx_is_reported():
    [err] = file_errors(xlsx([]), filename="x.xlsx")
    assert err.message == "Le fichier est vide."


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 10 * 1024 * 1024
    path = tmp_path / "big.csv"
    line = b"C0000001;Une commune au nom assez long pour remplir;note\n"
    with open(path, "wb") as fh:
        fh.write(b"code;name;note\n")
        fh.write(line * (10 * 1024 * 1024 // len(line) + 10))
    assert path.stat().st_size > 10 * 1024 * 1024
    [err] = file_errors(path)
    assert err.row == 0
    assert "trop volumineux" in err.message and "10 Mo" in err.message
    # The same file as an upload (size known) and as a stream (size unknown).
    with open(path, "rb") as fh:
        [err] = file_errors(fh)
    assert "trop volumineux" in err.message


def test_size_limit_default_is_20_mb():
    from django.conf import settings

    assert settings.IMPORT_MAX_BYTES == 20 * 1024 * 1024


def test_unreadable_encoding_is_reported():
    # 0x81 is undefined in cp1252 and invalid as UTF-8.
    [err] = file_errors(b"code;name\nA;\x81\x81\n", filename="x.csv")
    assert "Encodage" in err.message


# ---------------------------------------------------------------- cell parsing


def test_parse_cells():
    assert parse_int("1 200") == 1200 and parse_int("12,0") == 12
    assert parse_decimal("12,5") == Decimal("12.5")
    assert parse_date("01/03/2024") == parse_date("2024-03-01") == dt.date(2024, 3, 1)
    for bad, parser in [("12,5", parse_int), ("abc", parse_decimal), ("31/02/2024", parse_date)]:
        with pytest.raises(CellError):
            parser(bad)


# ---------------------------------------------------------------- report and pattern


def test_report_as_dict_is_exactly_the_api_shape():
    report = ImportReport(created=2, updated=1)
    report.add_error(3, "name", "Le nom est obligatoire.")
    assert report.as_dict() == {
        "created": 2,
        "updated": 1,
        "errors": [{"row": 3, "column": "name", "message": "Le nom est obligatoire."}],
    }


class Fruits(TabularImport):
    """A toy import: writes into a list, refuses empty names, duplicate codes, 'boom'."""

    columns = [Column("code"), Column("name")]
    field_columns = {"label": "name"}

    def __init__(self, store, **kwargs):
        super().__init__(**kwargs)
        self.store = store

    def prepare(self, rows):
        self.seen = {}

    def validate(self, row):
        if not row["name"]:
            raise column_error("name", "Le nom est obligatoire.")
        if row["code"] in self.seen:
            self.error(row, "code", f"Code en double (déjà ligne {self.seen[row['code']]}).")
            return None
        self.seen[row["code"]] = row.number
        if row["name"] == "interdit":
            raise ValidationFailed("Nom interdit.", field="label")
        return row

    def write(self, plan):
        if plan["name"] == "boom":
            raise ValidationFailed("Refusé à l'écriture.", field="label")
        self.store.append(plan["code"])
        return "created"


def test_every_error_is_reported_and_nothing_written():
    store = []
    data = b"code;name\nA;pomme\nB;\nA;poire\nC;interdit\nD;mangue\n"
    report = Fruits(store).run(data, filename="f.csv")
    assert store == []
    assert report.as_dict() == {
        "created": 0,
        "updated": 0,
        "errors": [
            {"row": 3, "column": "name", "message": "Le nom est obligatoire."},
            {"row": 4, "column": "code", "message": "Code en double (déjà ligne 2)."},
            {"row": 5, "column": "name", "message": "Nom interdit."},
        ],
    }


@pytest.mark.django_db
def test_valid_file_is_written_and_dry_run_writes_nothing():
    data = b"code;name\nA;pomme\nB;poire\n"
    store = []
    report = Fruits(store).run(data, filename="f.csv", dry_run=True)
    assert (store, report.as_dict()) == ([], {"created": 2, "updated": 0, "errors": []})
    assert "Simulation" in report.summary()
    report = Fruits(store).run(data, filename="f.csv")
    assert (store, report.created) == (["A", "B"], 2)


@pytest.mark.django_db
def test_an_error_while_writing_rolls_back_the_whole_file():
    from geo.models import Area
    from geo.services import area_create

    class Writes(Fruits):
        def write(self, plan):
            if plan["name"] == "boom":
                raise ValidationFailed("Refusé à l'écriture.", field="label")
            area_create(code=plan["code"], name=plan["name"], level="country", parent=None)
            return "created"

    report = Writes([]).run(b"code;name\nZZ;pomme\nZY;boom\n", filename="f.csv")
    assert report.as_dict()["errors"] == [
        {"row": 3, "column": "name", "message": "Refusé à l'écriture."}
    ]
    assert report.created == 0
    assert not Area.objects.filter(code="ZZ").exists()


def test_file_errors_land_in_the_report():
    report = Fruits([]).run(b"", filename="f.csv")
    assert report.as_dict()["errors"] == [
        {"row": 0, "column": "", "message": "Le fichier est vide."}
    ]


def test_error_count_is_capped(settings):
    settings.IMPORT_MAX_ERRORS = 5
    data = b"code;name\n" + b"A;\n" * 50
    report = Fruits([]).run(data, filename="f.csv")
    assert len(report.errors) == 6
    assert report.errors[-1].row == 0 and "Trop d'erreurs" in report.errors[-1].message
