"""Exporting any list to XLSX or CSV (as French Excel reads it), safe to open.

``xlsx_response(filename, headers, rows)`` and ``csv_response(filename, headers, rows)``
return a download; :func:`write_xlsx` / :func:`write_csv` write to any binary/text stream.

Formula injection: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return could run as a formula in a spreadsheet. In CSV such text is prefixed with
``'`` (the OWASP advice: Excel shows the text, never evaluates it); the imports
(``core.tabular``) remove that apostrophe again, so export -> import is a round trip.
In XLSX the cell is written with the *string* type, so it is shown exactly as typed and
never evaluated.
Numbers (int, Decimal, float) stay numbers, dates stay dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def is_dangerous(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def neutralise(text: str) -> str:
    """The CSV form of a text cell: ``=1+1`` -> ``'=1+1``."""
    return "'" + text if is_dangerous(text) else text


def unneutralise(text: str) -> str:
    """What :func:`neutralise` wrote, back as typed: ``'=1+1`` -> ``=1+1``.

    The imports read every cell through it, so an exported file re-imports to the same
    values (a person named ``-Awa`` or a phone ``+221...`` never gains an apostrophe)."""
    return text[1:] if text[:1] == "'" and is_dangerous(text[1:]) else text


def _naive(value: dt.datetime) -> dt.datetime:
    if timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def csv_cell(value: Any) -> str:
    """A value as French Excel reads it: ``12,5`` decimals, ``d/m/Y`` dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, dt.datetime):
        return _naive(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return neutralise(str(value))


def write_csv(stream, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    """Write ``;``-separated CSV to a text stream (the caller adds the BOM if bytes)."""
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(str(h)) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])


def csv_bytes(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    write_csv(buffer, headers, rows)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def write_xlsx(
    stream, headers: Sequence[Any], rows: Iterable[Sequence[Any]], *, title: str = "Export"
) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value: Any, *, header: bool = False) -> WriteOnlyCell:
        if isinstance(value, dt.datetime):
            c = WriteOnlyCell(sheet, value=_naive(value))
            c.number_format = "DD/MM/YYYY HH:MM"
        elif isinstance(value, dt.date):
            c = WriteOnlyCell(sheet, value=value)
            c.number_format = "DD/MM/YYYY"
        elif value is None or isinstance(value, bool | int | float | Decimal):
            c = WriteOnlyCell(sheet, value=value)
        else:
            text = _printable(str(value))
            c = WriteOnlyCell(sheet, value=text)
            c.data_type = "s"  # never a formula, whatever it starts with
        if header:
            c.font = bold
        return c

    sheet.append([cell(h, header=True) for h in headers])
    for row in rows:
        sheet.append([cell(v) for v in row])
    workbook.save(stream)


def xlsx_bytes(headers: Sequence[Any], rows: Iterable[Sequence[Any]], *, title="Export") -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, headers, rows, title=title)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in str(title)).strip()
    return (cleaned or "Export")[:31]


def _printable(text: str) -> str:
    # XML 1.0 forbids most control characters; openpyxl would refuse the whole file.
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 32)


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def csv_response(filename: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]):
    """A CSV download for French Excel: ``;`` separator, UTF-8 with BOM."""
    if not filename.lower().endswith(".csv"):
        filename += ".csv"
    return _attachment(
        HttpResponse(csv_bytes(headers, rows), content_type=CSV_CONTENT_TYPE), filename
    )


def xlsx_response(
    filename: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]], *, title="Export"
):
    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    return _attachment(
        HttpResponse(xlsx_bytes(headers, rows, title=title), content_type=XLSX_CONTENT_TYPE),
        filename,
    )
