"""Reading the spreadsheets field staff upload (CSV or XLSX), and the import report.

One module for every import of the platform (communes, cooperatives, persons, members...):

* :func:`read_table` opens a CSV or XLSX file (a path, bytes or an uploaded file), checks
  its size, encoding and header, and returns a :class:`Table` whose :meth:`Table.rows`
  yields :class:`Row` dicts (canonical column name -> stripped text) that know their
  1-based spreadsheet row number. Problems with the file itself raise
  :class:`TableFileError`, which carries :class:`RowError` items like any row problem.
* :class:`ImportReport` is the answer every import gives
  (``{"created", "updated", "errors": [{"row", "column", "message"}]}``, API.md).
* :class:`TabularImport` is the pattern every import follows: validate ALL rows first,
  report every error by row and column, and write nothing at all if there is any error
  (the writes happen in one transaction, and not at all on a dry run).

Row numbers are those the user sees in Excel: the header is row 1 (usually), the first
data row row 2. File-level problems (size, encoding, emptiness) are reported on row 0.
"""

from __future__ import annotations

import abc
import csv
import datetime as dt
import io
import logging
import os
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError, ValidationFailed
from core.export import unneutralise
from core.text import fold

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_ERRORS = 500
# Limits on what a file may cost to read (docs/geo-and-files.md, "Limits"); each one is a
# setting of the same name (IMPORT_MAX_ROWS...) so an installation can move it.
DEFAULT_LIMITS = {
    "IMPORT_MAX_ROWS": 20_000,  # spreadsheet rows under the header, blank ones included
    "IMPORT_MAX_COLUMNS": 100,  # columns read from an XLSX sheet (the rest is ignored)
    "IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES": 64 * 1024 * 1024,  # all entries of the zip
    "IMPORT_XLSX_MAX_ENTRY_BYTES": 48 * 1024 * 1024,  # one entry (a sheet, shared strings)
    "IMPORT_XLSX_MAX_RATIO": 100,  # uncompressed / compressed size of one large entry
    "IMPORT_XLSX_MAX_ENTRIES": 200,  # files inside the zip
}
RATIO_CHECKED_ABOVE = 1024 * 1024  # small entries (styles, rels) may compress very well
CSV_DELIMITERS = (";", ",", "\t")
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
CSV_EXTENSIONS = {".csv", ".txt"}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class RowError:
    """One problem: spreadsheet row (0 = the file itself), canonical column, French text."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": str(self.message)}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, row: int, column: str, message: Any) -> None:
        self.errors.append(RowError(row, column or "", str(message)))

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "errors": [e.as_dict() for e in self.errors],
        }

    def summary(self) -> str:
        """One French sentence for a command's output or a page's message."""
        if self.errors:
            return _("%(n)d erreur(s) : rien n'a été enregistré.") % {"n": len(self.errors)}
        if self.dry_run:
            return _("Simulation : %(c)d à créer, %(u)d à mettre à jour ; rien enregistré.") % {
                "c": self.created,
                "u": self.updated,
            }
        return _("%(c)d créé(s), %(u)d mis à jour.") % {"c": self.created, "u": self.updated}


class TableFileError(ValidationFailed):
    """The file cannot be read as a table: size, format, encoding, header."""

    default_code = "import_file"

    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        super().__init__(self.errors[0].message, code=self.default_code, field="file")


def file_error(message: str, *, row: int = 0, column: str = "") -> TableFileError:
    return TableFileError([RowError(row, column, message)])


# --------------------------------------------------------------------------- columns


def header_key(text: object) -> str:
    """Header names match ignoring case, accents, spaces, ``_`` and ``-``."""
    return fold(str(text or "").replace("_", " ").replace("-", " ").replace("\ufeff", ""))


@dataclass(frozen=True)
class Column:
    """An expected column: its canonical name, whether it is required, other accepted names."""

    name: str
    required: bool = True
    aliases: tuple[str, ...] = ()

    def header_keys(self) -> set[str]:
        return {header_key(self.name), *(header_key(a) for a in self.aliases)}


def as_columns(columns: Iterable[Column | str]) -> list[Column]:
    return [c if isinstance(c, Column) else Column(c) for c in columns]


# --------------------------------------------------------------------------- rows


class Row(dict):
    """One data row: canonical column -> text (stripped, ``""`` when empty), plus ``number``."""

    number: int

    def __init__(self, number: int, values: dict[str, str]):
        super().__init__(values)
        self.number = number


def limit(name: str) -> int:
    """One of :data:`DEFAULT_LIMITS`, as the settings say."""
    return int(getattr(settings, name, DEFAULT_LIMITS[name]))


def cell_text(value: Any) -> str:
    """Every cell as text, the same whatever the format: ``101.0`` -> ``"101"``, dates ISO.

    A text our exports neutralised (``'=x``, ``'+221...``) comes back as it was typed."""
    if type(value) is str:  # the common case, first
        text = value.strip() if "\n" not in value else " ".join(value.split())
        return unneutralise(text).strip() if text[:1] == "'" else text
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return cell_text(str(value))


@dataclass
class Table:
    """A readable table: its header and its data rows."""

    format: str  # "csv" or "xlsx"
    header_row: int
    headers: list[str]
    positions: dict[str, int]  # canonical column -> index in the raw rows
    raw_rows: Iterable[tuple[int, Sequence[Any]]]
    encoding: str | None = None
    delimiter: str | None = None

    def rows(self) -> Iterator[Row]:
        """Data rows, skipping entirely empty ones (their numbers are kept).

        Stops with a :class:`TableFileError` past ``IMPORT_MAX_ROWS`` rows under the header
        (blank rows count: a sheet may claim a million of them)."""
        seen = False
        last = self.header_row + limit("IMPORT_MAX_ROWS")
        for number, raw in self.raw_rows:
            if number > last:
                raise too_many_rows(last - self.header_row)
            texts = [cell_text(v) for v in raw]
            if not any(texts):
                continue
            seen = True
            yield Row(
                number,
                {name: (texts[i] if i < len(texts) else "") for name, i in self.positions.items()},
            )
        if not seen:
            raise file_error(
                _("Le fichier ne contient aucune ligne de données sous l'en-tête."),
                row=self.header_row,
            )


# --------------------------------------------------------------------------- reading


def _source_name(source: Any, filename: str | None) -> str:
    if filename:
        return filename
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    return getattr(source, "name", "") or ""


def _source_size(source: Any) -> int | None:
    if isinstance(source, str | os.PathLike):
        return os.path.getsize(source)
    if isinstance(source, bytes | bytearray):
        return len(source)
    return getattr(source, "size", None)


def _read_bytes(source: Any, max_bytes: int) -> bytes:
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    elif isinstance(source, str | os.PathLike):
        with open(source, "rb") as fh:
            data = fh.read(max_bytes + 1)
    else:
        if hasattr(source, "seek"):
            source.seek(0)
        if hasattr(source, "chunks"):
            buf = bytearray()
            for chunk in source.chunks():
                buf += chunk
                if len(buf) > max_bytes:
                    break
            data = bytes(buf)
        else:
            data = source.read(max_bytes + 1)
    return data


def _too_big(size: int, max_bytes: int) -> TableFileError:
    return file_error(
        _(
            "Le fichier est trop volumineux (%(size)s Mo) : la taille maximale autorisée "
            "est de %(max)s Mo. Découpez-le en plusieurs fichiers."
        )
        % {"size": _mb(size), "max": _mb(max_bytes)}
    )


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",").replace(",0", "")


def read_table(
    source: Any,
    *,
    columns: Iterable[Column | str],
    filename: str | None = None,
    max_bytes: int | None = None,
    allow_unknown: bool = False,
) -> Table:
    """Open ``source`` (path, bytes, uploaded or open binary file) and check its header.

    Raises :class:`TableFileError` listing every problem found with the file or header.
    """
    columns = as_columns(columns)
    if max_bytes is None:
        max_bytes = int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))
    size = _source_size(source)
    if size is not None and size > max_bytes:
        raise _too_big(size, max_bytes)
    data = _read_bytes(source, max_bytes)
    if len(data) > max_bytes:
        raise _too_big(size or len(data), max_bytes)
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise file_error(_("Le fichier est vide."))

    name = _source_name(source, filename)
    ext = os.path.splitext(name)[1].lower()
    if data.startswith(OLE_MAGIC) or ext == ".xls":
        raise file_error(
            _(
                "Le format Excel 97-2003 (.xls) n'est pas pris en charge : enregistrez le "
                "fichier au format .xlsx ou .csv."
            )
        )
    if ext in XLSX_EXTENSIONS or (ext not in CSV_EXTENSIONS and data.startswith(ZIP_MAGIC)):
        table = _open_xlsx(data)
    else:
        table = _open_csv(data)
    _check_header(table, columns, allow_unknown=allow_unknown)
    return table


def too_many_rows(max_rows: int) -> TableFileError:
    return file_error(
        _(
            "Le fichier dépasse la limite de %(n)s lignes sous l'en-tête : "
            "découpez-le en plusieurs fichiers."
        )
        % {"n": f"{max_rows:,}".replace(",", "\u202f")}
    )


def unreadable(exc: BaseException, *, row: int = 0) -> TableFileError:
    """A parser failure inside the file: logged, answered as a clear file error (never 500)."""
    logger.info("unreadable spreadsheet: %s: %s", type(exc).__name__, exc)
    if row:
        message = _(
            "Le fichier est illisible à partir de la ligne %(row)d (contenu endommagé ou "
            "guillemet non fermé) : enregistrez-le de nouveau depuis le tableur."
        ) % {"row": row}
    else:
        message = _(
            "Le fichier est endommagé ou n'est pas un classeur Excel (.xlsx) valide : "
            "enregistrez-le de nouveau depuis le tableur."
        )
    return file_error(message, row=row)


def _decode_csv(data: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-8 (with or without BOM), UTF-16 with its BOM (Excel's
    "Texte Unicode"), else Windows-1252. UTF-16 without BOM is refused, saying why."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise file_error(
                _("Le fichier annonce l'encodage UTF-16 mais son contenu est endommagé.")
            ) from None
    sample = data[:4096]
    if sample.count(b"\x00") * 4 > len(sample):
        raise file_error(
            _(
                "Le fichier semble encodé en UTF-16 sans marque d'ordre des octets (BOM) : "
                "son encodage ne peut pas être reconnu. Enregistrez-le en « CSV UTF-8 » "
                "depuis Excel."
            )
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise file_error(
        _("Encodage du fichier non reconnu : enregistrez-le en « CSV UTF-8 » depuis Excel.")
    )


def _open_csv(data: bytes) -> Table:
    if data.startswith(ZIP_MAGIC):
        raise file_error(_("Ce fichier est un classeur Excel : donnez-lui l'extension .xlsx."))
    text, encoding = _decode_csv(data)
    if "\x00" in text:
        raise file_error(
            _("Ce fichier contient des caractères nuls : ce n'est pas un fichier texte CSV.")
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(CSV_DELIMITERS, key=first.count)
    if first.count(delimiter) == 0:
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def numbered() -> Iterator[tuple[int, list[str]]]:
        # csv.reader.line_num counts physical lines; a quoted cell may span several,
        # so spreadsheet rows are counted as records, as Excel shows them.
        number = 0
        try:
            for number, row in enumerate(reader, start=1):  # noqa: B007 (used below)
                yield number, row
        except csv.Error as exc:  # a cell over csv's field limit: an unclosed quote
            raise unreadable(exc, row=number + 1) from None

    rows = numbered()
    header_row, headers = _first_non_empty(rows)
    return Table(
        format="csv",
        header_row=header_row,
        headers=headers,
        positions={},
        raw_rows=rows,
        encoding="utf-8" if encoding == "utf-8-sig" else encoding,
        delimiter=delimiter,
    )


def check_zip(data: bytes) -> None:
    """Refuse a zip that would cost too much to open, from its directory alone.

    Python's zipfile never inflates an entry beyond the size its directory declares, so
    checking the declared sizes bounds what openpyxl can read: the number of entries, each
    entry's and the total uncompressed size, and each large entry's compression ratio (a
    "zip bomb" inflates a thousand times; real sheets about twenty)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise unreadable(exc) from None
    refuse = _(
        "Le classeur est refusé : une fois décompressé il dépasserait les limites de "
        "lecture (%(what)s). Enregistrez-le en CSV ou découpez-le."
    )
    if len(entries) > limit("IMPORT_XLSX_MAX_ENTRIES"):
        raise file_error(refuse % {"what": _("trop de fichiers internes")})
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > limit("IMPORT_XLSX_MAX_ENTRY_BYTES"):
            raise file_error(
                refuse % {"what": _("%(mb)s Mo pour une feuille") % {"mb": _mb(entry.file_size)}}
            )
        if entry.file_size > RATIO_CHECKED_ABOVE and (
            entry.file_size > limit("IMPORT_XLSX_MAX_RATIO") * max(entry.compress_size, 1)
        ):
            raise file_error(refuse % {"what": _("taux de compression anormal")})
    if total > limit("IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES"):
        raise file_error(refuse % {"what": _("%(mb)s Mo au total") % {"mb": _mb(total)}})


def _open_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # any parser failure: a clear file error, never a 500
        raise unreadable(exc) from None
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None or not hasattr(sheet, "reset_dimensions"):
        workbook.close()
        raise file_error(_("Le classeur ne contient aucune feuille."))
    # The sheet's declared dimension is not trusted: it could pad every row to 16,384
    # columns or add a million empty rows after the last one.
    sheet.reset_dimensions()
    max_col = limit("IMPORT_MAX_COLUMNS")

    def numbered() -> Iterator[tuple[int, tuple]]:
        number = 0
        try:
            for number, row in enumerate(  # noqa: B007 (used below)
                sheet.iter_rows(values_only=True, max_col=max_col), start=1
            ):
                yield number, row
        except DomainError:
            raise
        except Exception as exc:  # e.g. a shared-string index out of range
            raise unreadable(exc, row=number + 1) from None
        finally:
            workbook.close()

    rows = numbered()
    header_row, headers = _first_non_empty(rows)
    return Table(format="xlsx", header_row=header_row, headers=headers, positions={}, raw_rows=rows)


def _first_non_empty(rows: Iterator[tuple[int, Sequence[Any]]]) -> tuple[int, list[str]]:
    max_rows = limit("IMPORT_MAX_ROWS")
    for number, raw in rows:
        if number > max_rows:
            raise too_many_rows(max_rows)
        texts = [cell_text(v) for v in raw]
        if any(texts):
            while texts and not texts[-1]:
                texts.pop()
            return number, texts
    raise file_error(_("Le fichier est vide."))


def _check_header(table: Table, columns: list[Column], *, allow_unknown: bool) -> None:
    by_key: dict[str, Column] = {}
    for column in columns:
        for key in column.header_keys():
            by_key[key] = column
    errors: list[RowError] = []
    positions: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        key = header_key(header)
        if not key:
            continue
        column = by_key.get(key)
        if column is None:
            if not allow_unknown:
                errors.append(
                    RowError(
                        table.header_row,
                        header,
                        _("Colonne inconnue « %(col)s ».") % {"col": header},
                    )
                )
            continue
        if column.name in positions:
            errors.append(
                RowError(
                    table.header_row,
                    column.name,
                    _("La colonne « %(col)s » apparaît deux fois.") % {"col": column.name},
                )
            )
            continue
        positions[column.name] = index
    for column in columns:
        if column.required and column.name not in positions:
            errors.append(
                RowError(
                    table.header_row,
                    column.name,
                    _("Colonne obligatoire absente : « %(col)s ».") % {"col": column.name},
                )
            )
    if errors:
        expected = ", ".join(c.name for c in columns)
        errors.append(
            RowError(
                table.header_row,
                "",
                _("Colonnes attendues : %(cols)s.") % {"cols": expected},
            )
        )
        raise TableFileError(errors)
    table.positions = positions


# --------------------------------------------------------------------------- cell parsing


class CellError(ValueError):
    """A cell's text cannot be read; its message is French and shown to the user."""


def parse_int(text: str) -> int:
    cleaned = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    try:
        return int(cleaned)
    except ValueError:
        try:
            value = Decimal(cleaned.replace(",", "."))
        except InvalidOperation:
            raise CellError(_("« %(v)s » n'est pas un nombre entier.") % {"v": text}) from None
        if value != value.to_integral_value():
            raise CellError(_("« %(v)s » n'est pas un nombre entier.") % {"v": text}) from None
        return int(value)


def parse_decimal(text: str) -> Decimal:
    cleaned = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise CellError(_("« %(v)s » n'est pas un nombre.") % {"v": text}) from None
    if not value.is_finite():
        raise CellError(_("« %(v)s » n'est pas un nombre.") % {"v": text})
    return value


def parse_date(text: str) -> dt.date:
    """``2024-03-01`` (ISO, as XLSX dates come out) or ``01/03/2024`` (French)."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise CellError(_("« %(v)s » n'est pas une date (attendu JJ/MM/AAAA).") % {"v": text})


# --------------------------------------------------------------------------- the import pattern


class _Rollback(Exception):
    pass


class TabularImport(abc.ABC):
    """Validate every row, then write all of them in one transaction, or nothing.

    Subclasses set ``columns`` and implement:

    * ``prepare(self)``: load what validation looks up (once, not per row);
    * ``validate(self, row) -> plan``: return what to write for the row, or raise
      :class:`CellError` / :class:`~core.errors.DomainError` (its ``field`` names the
      column), or call ``self.error(row, column, message)`` and return ``None``. It may
      keep state (e.g. codes already seen in the file) to catch duplicates;
    * ``write(self, plan, *, actor) -> "created" | "updated"``: call the app's services.
      A :class:`DomainError` raised here still cancels every write of the file.

    An error raised by ``write`` is reported on the row whose ``validate`` made the plan.
    """

    columns: Sequence[Column | str] = ()
    allow_unknown = False
    field_columns: dict[str, str] = {}  # service field name -> column name

    def __init__(self, *, actor=None, max_errors: int | None = None):
        self.actor = actor
        self.max_errors = max_errors or int(
            getattr(settings, "IMPORT_MAX_ERRORS", DEFAULT_MAX_ERRORS)
        )
        self.report = ImportReport()

    # hooks
    def check_permission(self) -> None:  # raise Forbidden
        return None

    def prepare(self, rows: list[Row]) -> None:
        """Look up what the rows need in a few queries before validating (default: nothing)."""
        return None

    @abc.abstractmethod
    def validate(self, row: Row) -> Any:
        """Check one row; return what :meth:`write` needs (None: nothing to write)."""

    @abc.abstractmethod
    def write(self, plan: Any) -> str:
        """Write one validated row; return ``"created"`` or ``"updated"``."""

    # helpers
    def error(self, row: Row | int, column: str, message: Any) -> None:
        number = row.number if isinstance(row, Row) else row
        self.report.add_error(number, column, message)

    def column_for(self, error: DomainError) -> str:
        return self.field_columns.get(error.field or "", error.field or "")

    # the pattern
    def run(self, source: Any, *, dry_run: bool = False, filename: str | None = None):
        report = self.report = ImportReport(dry_run=dry_run)
        self.check_permission()
        plans: list[tuple[int, Any]] = []
        try:
            table = read_table(
                source, columns=self.columns, filename=filename, allow_unknown=self.allow_unknown
            )
            rows = list(table.rows())
            self.prepare(rows)
            for row in rows:
                try:
                    plan = self.validate(row)
                except CellError as exc:
                    self.error(row, getattr(exc, "column", ""), exc)
                    plan = None
                except DomainError as exc:
                    self.error(row, self.column_for(exc), exc.message)
                    plan = None
                if plan is not None:
                    plans.append((row.number, plan))
                if len(report.errors) >= self.max_errors:
                    report.add_error(
                        0,
                        "",
                        _("Trop d'erreurs : seules les %(n)d premières sont listées.")
                        % {"n": self.max_errors},
                    )
                    break
        except TableFileError as exc:
            report.errors.extend(exc.errors)
        if report.errors:
            return report
        if dry_run:
            for _number, plan in plans:
                self._count(self.would_do(plan))
            return report
        try:
            with transaction.atomic():
                self.write_all(plans)
        except _Rollback:
            report.created = report.updated = 0
        return report

    def write_all(self, plans: list[tuple[int, Any]]) -> None:
        """Write every validated plan in file order (override to write in bulk); raise
        :class:`_Rollback` after recording the error to undo everything."""
        for number, plan in plans:
            self.write_one(number, plan)

    def write_one(self, number: int, plan: Any) -> None:
        try:
            self._count(self.write(plan))
        except DomainError as exc:
            self.error(number, self.column_for(exc), exc.message)
            raise _Rollback from exc

    def would_do(self, plan: Any) -> str:
        """On a dry run, what ``write`` would do (default: create)."""
        return getattr(plan, "action", "created")

    def _count(self, action: str) -> None:
        if action == "created":
            self.report.created += 1
        elif action == "updated":
            self.report.updated += 1


def column_error(column: str, message: Any) -> CellError:
    """A :class:`CellError` naming its column, for ``validate`` to raise."""
    exc = CellError(str(message))
    exc.column = column
    return exc
