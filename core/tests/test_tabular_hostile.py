"""Issue 14, point 4: hostile spreadsheets. Each test builds its file itself: a zip bomb,
a bad shared-string index, a sheet claiming a million rows or 16,384 columns, UTF-16 CSV,
an unclosed quote. Every one ends in a clear French file error (row 0 or the row where the
file breaks), never an exception escaping as a 500, and the limits are settings."""

import io
import re
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from core.export import csv_bytes, neutralise, unneutralise, xlsx_bytes
from core.tabular import DEFAULT_LIMITS, Column, TableFileError, read_table

COLUMNS = [Column("code"), Column("name", aliases=("nom",))]


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rewrite(data: bytes, name: str, change, *, level=zipfile.ZIP_DEFLATED) -> bytes:
    """The same zip with entry ``name`` replaced by ``change(old_bytes)``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", level) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == name:
                body = change(body)
            dst.writestr(item.filename, body, compress_type=level)
    return out.getvalue()


def shared_strings_xlsx(rows) -> bytes:
    """An XLSX whose texts live in xl/sharedStrings.xml, as Excel writes them (openpyxl
    writes inline strings)."""
    strings: list[str] = []

    def to_shared(body: bytes) -> bytes:
        def one(match):
            strings.append(match.group(1).decode())
            return b't="s"><v>' + str(len(strings) - 1).encode() + b"</v></c>"

        return re.sub(rb't="inlineStr"><is><t>([^<]*)</t></is></c>', one, body)

    data = rewrite(xlsx(rows), SHEET, to_shared)
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    table = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()
    rel = (
        b'<Relationship Id="rIdSST" Target="sharedStrings.xml" Type="http://schemas.openxml'
        b'formats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'
    )
    kind = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxml'
        b'formats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    data = rewrite(
        data, "xl/_rels/workbook.xml.rels", lambda b: b.replace(b"</Relationships>", rel)
    )
    data = rewrite(data, "[Content_Types].xml", lambda b: b.replace(b"</Types>", kind))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "a") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/sharedStrings.xml", table)
    return out.getvalue()


def read_all(data: bytes, filename="x.xlsx"):
    table = read_table(data, columns=COLUMNS, filename=filename)
    return [(r.number, dict(r)) for r in table.rows()]


def file_error(data: bytes, filename="x.xlsx"):
    with pytest.raises(TableFileError) as info:
        read_all(data, filename)
    [error] = info.value.errors
    return error


SHEET = "xl/worksheets/sheet1.xml"


# ---------------------------------------------------------------- the zip is inspected first


def test_zip_bomb_is_refused_from_its_directory_before_openpyxl():
    # 5 MB of spaces compress to a few KB: a ratio near 1,000 where real sheets have ~20.
    padding = b" " * (5 * 1024 * 1024)
    bomb = rewrite(xlsx([["code", "name"], ["A", "B"]]), SHEET, lambda b: b + padding)
    assert len(bomb) < 30_000
    error = file_error(bomb)
    assert error.row == 0
    assert "taux de compression anormal" in error.message
    assert "décompressé" in error.message


def test_real_sheets_pass_the_ratio_check():
    rows = [["code", "name"]] + [[f"C{i}", f"Awa Diop {i}"] for i in range(20_000)]
    data = xlsx(rows)
    [entry] = [e for e in zipfile.ZipFile(io.BytesIO(data)).infolist() if e.filename == SHEET]
    assert entry.file_size > 1024 * 1024  # large enough for its ratio to be checked
    assert len(read_all(data)) == 20_000


def test_total_and_entry_sizes_and_entry_count_are_limited(settings):
    data = xlsx([["code", "name"], ["A", "B"]])
    settings.IMPORT_XLSX_MAX_ENTRY_BYTES = 2_000
    assert "Mo pour une feuille" in file_error(data).message
    settings.IMPORT_XLSX_MAX_ENTRY_BYTES = DEFAULT_LIMITS["IMPORT_XLSX_MAX_ENTRY_BYTES"]
    settings.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = 10_000
    assert "Mo au total" in file_error(data).message
    settings.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
    settings.IMPORT_XLSX_MAX_ENTRIES = 5
    assert "trop de fichiers internes" in file_error(data).message
    settings.IMPORT_XLSX_MAX_ENTRIES = 200
    assert read_all(data) == [(2, {"code": "A", "name": "B"})]


def test_limits_are_documented_settings():
    from django.conf import settings as live

    for name, default in DEFAULT_LIMITS.items():
        assert getattr(live, name) == default, name
    doc = (live.BASE_DIR / "docs" / "geo-and-files.md").read_text(encoding="utf-8")
    for name in [*DEFAULT_LIMITS, "IMPORT_MAX_BYTES"]:
        assert f"`{name}`" in doc, name


def test_a_lying_directory_cannot_inflate_more_than_it_declares():
    """zipfile stops at the declared size; the lie ends as a damaged file, not a bomb."""
    data = bytearray(xlsx([["code", "name"], ["A", "B"]]))
    at = 0
    while True:  # the sheet's record in the central directory
        at = data.index(b"PK\x01\x02", at + 1)
        name_length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + name_length] == SHEET.encode():
            break
    data[at + 24 : at + 28] = (10).to_bytes(4, "little")  # declared uncompressed size
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(SHEET).file_size == 10
    error = file_error(bytes(data))
    assert "endommagé" in error.message or "illisible" in error.message


# ---------------------------------------------------------------- parser failures


def test_shared_strings_are_read():
    data = shared_strings_xlsx([["code", "name"], ["A", "Awa"], ["B", "Binta"]])
    assert b"sharedStrings" in data
    assert read_all(data) == [
        (2, {"code": "A", "name": "Awa"}),
        (3, {"code": "B", "name": "Binta"}),
    ]


def test_bad_shared_string_index_is_a_clear_error_not_a_500():
    data = shared_strings_xlsx([["code", "name"], ["A", "Awa"], ["B", "Binta"]])

    def break_index(body: bytes) -> bytes:
        # The last shared-string reference points far past the table of strings.
        refs = list(re.finditer(rb'(t="s"[^>]*><v>)(\d+)(</v>)', body))
        last = refs[-1]
        return body[: last.start(2)] + b"999" + body[last.end(2) :]

    error = file_error(rewrite(data, SHEET, break_index))
    assert error.row == 3  # the row where the sheet breaks, as Excel numbers it
    assert "illisible à partir de la ligne 3" in error.message


@pytest.mark.parametrize(
    "name,change",
    [
        ("xl/workbook.xml", lambda b: b[: len(b) // 2]),  # truncated XML
        (SHEET, lambda b: b.replace(b"<sheetData>", b"<sheetData><row r='x'>")),
        ("xl/sharedStrings.xml", lambda b: b"<not-xml"),
        ("[Content_Types].xml", lambda b: b""),
    ],
)
def test_damaged_parts_are_file_errors(name, change):
    data = shared_strings_xlsx([["code", "name"], ["A", "Awa"]])
    with pytest.raises(TableFileError) as info:
        read_all(rewrite(data, name, change))
    assert info.value.code == "import_file" and info.value.field == "file"


def test_truncated_zip_is_a_file_error():
    data = xlsx([["code", "name"], ["A", "Awa"]])
    assert "valide" in file_error(data[: len(data) // 2]).message


# ---------------------------------------------------------------- rows and columns


def test_rows_are_limited_while_reading(settings):
    settings.IMPORT_MAX_ROWS = 10
    rows = [["code", "name"]] + [[f"C{i}", "x"] for i in range(10)]
    assert len(read_all(xlsx(rows))) == 10
    assert len(read_all(csv_bytes(*_split(rows)), "x.csv")) == 10
    rows.append(["C10", "x"])
    for data, filename in [(xlsx(rows), "x.xlsx"), (csv_bytes(*_split(rows)), "x.csv")]:
        error = file_error(data, filename)
        assert error.row == 0 and "limite de 10 lignes" in error.message


def _split(rows):
    return rows[0], rows[1:]


def test_a_sheet_claiming_a_million_rows_stops_at_the_limit():
    wb = Workbook()
    ws = wb.active
    ws.append(["code", "name"])
    ws.append(["A", "B"])
    ws.cell(row=1_048_576, column=1, value="far away")
    buf = io.BytesIO()
    wb.save(buf)
    error = file_error(buf.getvalue())
    assert "limite de 20\u202f000 lignes" in error.message


def test_declared_dimension_and_far_columns_do_not_widen_rows():
    data = xlsx([["code", "name"], ["A", "B"]])

    def claim_everything(body: bytes) -> bytes:
        body = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', body)
        return body.replace(b"</row>", b'<c r="XFD1" t="inlineStr"><is><t>z</t></is></c></row>', 1)

    table = read_table(rewrite(data, SHEET, claim_everything), columns=COLUMNS, filename="x.xlsx")
    assert len(table.headers) == 2  # the cell at column 16,384 is beyond IMPORT_MAX_COLUMNS
    raw = list(table.raw_rows)  # one row, not a million, at most 100 columns wide, not 16,384
    assert [(n, r[:3], len(r)) for n, r in raw] == [(2, ("A", "B", None), 100)]


def test_reading_streams_rows_in_bounded_memory():
    """20,000 rows (an 8 MB sheet) read with a small, bounded peak: openpyxl's read-only
    mode parses the sheet as it goes. Measured: about 2 MB (docs/geo-and-files.md)."""
    rows = [["code", "name"]] + [[f"C{i}", f"Awa Diop {i}"] for i in range(20_000)]
    data = xlsx(rows)
    tracemalloc.start()
    try:
        table = read_table(data, columns=COLUMNS, filename="x.xlsx")
        count = sum(1 for _ in table.rows())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert peak < 16 * 1024 * 1024, peak


# ---------------------------------------------------------------- CSV


def test_utf16_csv_with_bom_is_read():
    # Excel's "Texte Unicode (*.txt)": UTF-16 little-endian with BOM, tab-separated.
    text = "code\tnom\r\nA1\tThiès\r\nA2\tKédougou\r\n"
    for encoding in ("utf-16", "utf-16-be"):
        data = text.encode(encoding)
        if encoding == "utf-16-be":
            data = b"\xfe\xff" + data
        table = read_table(data, columns=COLUMNS, filename="x.csv")
        assert table.encoding == "utf-16" and table.delimiter == "\t"
        assert [dict(r) for r in table.rows()] == [
            {"code": "A1", "name": "Thiès"},
            {"code": "A2", "name": "Kédougou"},
        ]


def test_utf16_csv_without_bom_is_refused_saying_why():
    data = "code;nom\r\nA1;Thiès\r\n".encode("utf-16-le")
    error = file_error(data, "x.csv")
    assert "UTF-16 sans marque d'ordre des octets (BOM)" in error.message
    assert "CSV UTF-8" in error.message


def test_nul_bytes_in_a_utf8_csv_are_refused():
    error = file_error(b"code;nom\r\nA1;Th\x00ies\r\n" * 1, "x.csv")
    assert "caractères nuls" in error.message


def test_unclosed_quote_is_a_file_error_naming_the_row():
    data = ('code;nom\r\nA1;"Thiès\r\n' + "x" * 200_000 + "\r\n").encode()
    error = file_error(data, "x.csv")
    assert error.row == 2 and "guillemet non fermé" in error.message


# ---------------------------------------------------------------- export -> import


DANGEROUS = ['=HYPERLINK("http://x")', "+221771234567", "-Awa", "@SUM(A1)", "=1+1"]


def test_neutralise_and_unneutralise_are_inverse():
    for text in [*DANGEROUS, "Thiès", "'quoted'", "'", "", "O'Neil"]:
        assert unneutralise(neutralise(text)) == text
    assert unneutralise("'ordinary") == "'ordinary"  # only our own apostrophe is removed


@pytest.mark.parametrize("writer,filename", [(csv_bytes, "x.csv"), (xlsx_bytes, "x.xlsx")])
def test_exported_dangerous_text_reimports_as_typed(writer, filename):
    data = writer(["code", "nom"], [[f"C{i}", text] for i, text in enumerate(DANGEROUS)])
    if filename.endswith(".csv"):
        assert "'=HYPERLINK" in data.decode("utf-8-sig")  # neutralised in the file
    rows = read_all(data, filename)
    assert [r["name"] for _n, r in rows] == DANGEROUS
