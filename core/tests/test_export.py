"""core.export: XLSX and French-Excel CSV downloads, safe against formula injection."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.export import csv_bytes, csv_cell, csv_response, xlsx_response
from core.tabular import Column, read_table

HEADERS = ["Code", "Nom", "Montant", "Taux", "Date", "Note"]
ROWS = [
    ["A1", "Thiès", 1500000, Decimal("12.5"), dt.date(2024, 3, 1), "=1+1"],
    ["A2", "+221 77 000 00 00", -250, 0.25, None, "@SUM(A1:A2)"],
    ["A3", "-2+3", 0, Decimal("0"), dt.date(2024, 12, 31), "\tcmd|' /C calc'!A0"],
    ["A4", "normal", 7, Decimal("1"), None, "\r=2"],
]
DANGEROUS = ["=1+1", "+221 77 000 00 00", "@SUM(A1:A2)", "-2+3", "\tcmd|' /C calc'!A0", "\r=2"]


def test_csv_is_french_excel_semicolon_with_bom():
    response = csv_response("coopératives", HEADERS, ROWS)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert ".csv" in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "Code;Nom;Montant;Taux;Date;Note"
    assert lines[1] == "A1;Thiès;1500000;12,5;01/03/2024;'=1+1"


def test_csv_neutralises_formulas_but_keeps_numbers():
    assert csv_cell(-250) == "-250"  # a number, not text: stays as is
    assert csv_cell(Decimal("-3.5")) == "-3,5"
    assert csv_cell("-250") == "'-250"  # text that looks like a formula is neutralised
    for text in DANGEROUS:
        assert csv_cell(text) == "'" + text
    assert csv_cell("Thiès") == "Thiès"
    assert csv_cell(None) == ""


def test_csv_round_trips_through_the_importer():
    data = csv_bytes(["code", "name"], [["A1", "Thiès"], ["A2", "Kédougou"]])
    table = read_table(data, columns=[Column("code"), Column("name")], filename="x.csv")
    assert [dict(r) for r in table.rows()] == [
        {"code": "A1", "name": "Thiès"},
        {"code": "A2", "name": "Kédougou"},
    ]


def test_xlsx_keeps_types_and_never_writes_formulas():
    response = xlsx_response("export", HEADERS, ROWS, title="Coopératives")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    assert ws.title == "Coopératives"
    assert [c.value for c in ws[1]] == HEADERS
    a2 = ws[2]
    assert a2[2].value == 1500000 and a2[2].data_type == "n"
    assert a2[3].value == pytest.approx(12.5) and a2[3].data_type == "n"
    assert a2[4].value == dt.datetime(2024, 3, 1)
    assert ws[3][2].value == -250 and ws[3][2].data_type == "n"
    texts = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    values = {c.value for c in texts}
    for text in ["=1+1", "+221 77 000 00 00", "@SUM(A1:A2)", "-2+3"]:
        assert text in values  # kept exactly, as text
    assert all(c.data_type == "s" for c in texts)
    # No formula anywhere in the sheet XML.
    import zipfile

    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_xlsx_handles_aware_datetimes_and_control_characters():
    from django.utils import timezone

    when = timezone.make_aware(dt.datetime(2024, 3, 1, 10, 0), dt.UTC)
    response = xlsx_response("x", ["Quand", "Texte"], [[when, "bip\x07"]])
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A2"].value == dt.datetime(2024, 3, 1, 10, 0)  # Africa/Dakar is UTC+0
    assert ws["B2"].value == "bip"
