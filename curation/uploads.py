"""Turning what an astronomer typed or uploaded into typed row values.

``read_submission_file`` refuses a file as a whole when it cannot be a submission (too big,
empty, binary, wrong columns, a cell the CSV reader cannot hold) with a message that says what
to do. It reads UTF-8 (with or without BOM), UTF-16 with BOM, and, failing those, Windows-1252
or Latin-1, each cell so decoded carrying a warning that names the encoding guessed. Cell by
cell, ``parse_row`` cleans the text (``lib.text``: the same cleaning as the form, the API and
the importer), turns it into values and reports every cell it changed or cannot read with its
row and column, keeping the original text in the message so nothing typed is lost.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings

from jmdc.columns import BY_FIELD, CATALOGUE_COLUMNS, Kind
from lib.numbers import NotADecimal, decimal_number
from lib.text import NotText, clean_free_text, clean_identifier, decode_bytes

from .models import SubmissionRow
from .rules import BAND_LETTERS, ERROR, WARNING

COLUMNS = [name for name, _ in CATALOGUE_COLUMNS]
# Not a catalogue column: in a zip upload, the files of each row's OIFITS data, separated by ';'.
OIFITS_COLUMN = "OIFITS"
TABLE_SUFFIXES = (".csv", ".xlsx")
ATTR = dict(CATALOGUE_COLUMNS)
NUMBER_FIELDS = {attr for attr, column in BY_FIELD.items() if column.kind is Kind.REAL}
INTEGER_FIELDS = {attr for attr, column in BY_FIELD.items() if column.kind is Kind.CODE}
TRUE_WORDS = {"true", "1", "yes", "y", "x"}
FALSE_WORDS = {"", "false", "0", "no", "n"}
# The published catalogue wrote -1 for "no value" (689 cells of the 2020 export).
LEGACY_NULLS = {"-1", "-1.0", "-1.00"}
# What a draft row can store of each text column (the rules then say what VizieR holds).
STORED_LENGTH = {
    attr: SubmissionRow._meta.get_field(attr).max_length
    for attr in ("id1", "id2", "band", "bibcode")
}


class UploadError(Exception):
    """The file cannot be read as a submission; the message tells the user what to do."""


@dataclass
class ParsedRow:
    position: int
    values: dict
    cell_errors: list[dict]
    oifits: list[str] = field(default_factory=list)  # the OIFITS column's file names


def _cell_error(column: str, message: str, severity: str = ERROR, code: str = "unreadable") -> dict:
    return {"field": column, "severity": severity, "code": code, "message": message}


def parse_row(position: int, cells: dict[str, str]) -> ParsedRow:
    """Typed values from text cells keyed by column name (ID1, UD_DIAM...)."""
    values: dict = {}
    errors: list[dict] = []
    for column in COLUMNS:
        attr = ATTR[column]
        raw = cells.get(column)
        cleaned = (clean_free_text if attr == "notes" else clean_identifier)(
            "" if raw is None else str(raw)
        )
        text = cleaned.text
        for finding in cleaned.findings:
            errors.append(_cell_error(column, finding.message, finding.severity, finding.code))
        if attr in NUMBER_FIELDS:
            values[attr] = _number(column, text, errors)
        elif attr == "bandcode" and text.upper() in BAND_LETTERS:
            values[attr] = BAND_LETTERS[text.upper()]  # "K" as well as 8, on every way in
        elif attr in INTEGER_FIELDS:
            values[attr] = _integer(column, text, errors)
        elif attr == "sinpe":
            if text.lower() in TRUE_WORDS:
                values[attr] = True
            else:
                if text.lower() not in FALSE_WORDS:
                    errors.append(
                        _cell_error(
                            column, f"{text!r} is not a yes/no value: write True or leave it empty."
                        )
                    )
                values[attr] = False
        else:
            limit = STORED_LENGTH.get(attr)
            if limit and len(text) > limit:
                errors.append(
                    _cell_error(
                        column,
                        f"{len(text)} characters, more than a draft keeps ({limit}): "
                        f"cut to {text[:limit]!r}; shorten it.",
                        code="too_long",
                    )
                )
                text = text[:limit]
            values[attr] = text
    return ParsedRow(position, values, errors)


def _legacy_null(column: str, text: str, errors: list[dict]) -> bool:
    if text not in LEGACY_NULLS:
        return False
    errors.append(
        _cell_error(
            column,
            f"{text} is how the old catalogue wrote 'no value': read as empty (leave the cell empty).",
            WARNING,
            "legacy_null",
        )
    )
    return True


def _number(column: str, text: str, errors: list[dict]) -> float | None:
    if text == "" or _legacy_null(column, text, errors):
        return None
    if "," in text and "." not in text and text.count(",") == 1:
        errors.append(
            _cell_error(
                column,
                f"{text!r} uses a decimal comma: write {text.replace(',', '.')} with a point.",
            )
        )
        return None
    try:
        return decimal_number(text)
    except NotADecimal as exc:
        errors.append(_cell_error(column, f"{exc}."))
        return None


def _integer(column: str, text: str, errors: list[dict]) -> int | None:
    if text == "" or _legacy_null(column, text, errors):
        return None
    try:
        number = decimal_number(text)
    except NotADecimal:
        letters = " ".join(BAND_LETTERS)
        hint = f" nor a band letter ({letters})" if column == "BANDCODE" else ""
        errors.append(_cell_error(column, f"{text!r} is not a whole number{hint}."))
        return None
    if not number.is_integer():
        errors.append(_cell_error(column, f"{text!r} is not a whole number."))
        return None
    if not -(2**15) < number < 2**15:
        errors.append(_cell_error(column, f"{text!r} is far out of range."))
        return None
    return int(number)


def read_submission_file(name: str, data: bytes) -> list[ParsedRow]:
    """Rows of an uploaded CSV or .xlsx file in the export's column layout. A table alone cannot
    bring OIFITS files: naming some in its OIFITS column is refused, saying to upload a zip."""
    rows = _read_table(name, data)
    for row in rows:
        if row.oifits:
            raise UploadError(
                f"row {row.position}, column {OIFITS_COLUMN} names {'; '.join(row.oifits)}: "
                "OIFITS files come with their table in one .zip (the table and the files): "
                "upload the zip, or empty the OIFITS column."
            )
    return rows


def _read_table(name: str, data: bytes) -> list[ParsedRow]:
    limit = settings.SUBMISSION_UPLOAD_MAX_BYTES
    if len(data) > limit:
        raise UploadError(
            f"the file is {len(data) / 1e6:.1f} MB; the limit is {limit / 1e6:.1f} MB: split it into smaller files."
        )
    if not data.strip():
        raise UploadError("the file is empty.")
    lower = name.lower()
    guessed = None
    if data.startswith(b"PK\x03\x04") or lower.endswith(".xlsx"):
        table = _xlsx_table(name, data)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadError("this is an old Excel .xls file: save it as .xlsx or as CSV UTF-8.")
    else:
        try:
            text, guessed = decode_bytes(data)
        except NotText as exc:
            raise UploadError(
                f"{exc}: upload the CSV or .xlsx file itself, saved as 'CSV UTF-8'."
            ) from exc
        table = _csv_table(text)
    rows = _rows_from_table(table)
    if guessed:
        _warn_guessed_encoding(rows, table, guessed)
    return rows


def _warn_guessed_encoding(rows: list[ParsedRow], table: list[list[str]], encoding: str) -> None:
    """Only the cells with letters beyond ASCII depend on the guess: each says so."""
    header = next(
        [str(c).strip().upper() for c in cells]
        for cells in table
        if any(str(c).strip() for c in cells)
    )
    for row in rows:
        cells = table[row.position - 1]
        for name, cell in zip(header, cells, strict=False):
            if name in ATTR and not str(cell).isascii():
                row.cell_errors.append(
                    _cell_error(
                        name,
                        f"the file is not UTF-8: it was read as {encoding}, so this cell reads "
                        f"{str(cell).strip()[:60]!r}; check it (or save the file as 'CSV UTF-8').",
                        WARNING,
                        "encoding_guessed",
                    )
                )


def _lines(text: str) -> list[str]:
    """The file's lines as the CSV reader counts them: ended by LF, CR LF or a lone CR (old
    Mac spreadsheets), each with its ending."""
    return io.StringIO(text, newline="").readlines()


def _csv_table(text: str) -> list[list[str]]:
    first_line = next(iter(_lines(text)), "")
    # Spreadsheets in many locales save CSV with semicolons.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table: list[list[str]] = []
    record_start = 1
    try:
        for cells in reader:
            table.append(cells)
            # A record spanning lines (a quoted line break) keeps its first line's number.
            table.extend([] for _ in range(reader.line_num - record_start))
            record_start = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            header = next(([c.strip().upper() for c in row] for row in table if any(row)), [])
            column = _long_field_column(text, record_start, delimiter)
            name = header[column] if column < len(header) else f"number {column + 1}"
            raise UploadError(
                f"row {record_start}, column {name}: the cell is longer than "
                f"{csv.field_size_limit()} characters (a quote left open?): check it."
            ) from exc
        raise UploadError(f"row {record_start}: the CSV cannot be read: {exc}.") from exc
    return table


def _long_field_column(text: str, line: int, delimiter: str) -> int:
    """Which cell (0-based) of the record starting at ``line`` outgrows the CSV reader."""
    start = sum(len(one) for one in _lines(text)[: line - 1])
    column, length, quoted = 0, 0, False
    for ch in text[start:]:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            column, length = column + 1, 0
            continue
        elif ch in "\r\n" and not quoted:
            break
        length += 1
        if length > csv.field_size_limit():
            break
    return column


def _xlsx_table(name: str, data: bytes) -> list[list[str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except zipfile.BadZipFile as exc:
        raise UploadError(
            "the file is not a valid .xlsx workbook: save it again from your spreadsheet as .xlsx or CSV UTF-8."
        ) from exc
    except Exception as exc:  # every damage: see _damaged
        raise _damaged(name, exc) from exc
    try:
        sheet = workbook.worksheets[0]
        table = []
        for row in sheet.iter_rows(values_only=True):
            table.append(["" if value is None else _excel_text(value) for value in row])
            if len(table) > settings.SUBMISSION_MAX_ROWS + 1:
                break
        return table
    except Exception as exc:  # every damage: see _damaged
        raise _damaged(name, exc) from exc
    finally:
        workbook.close()


def _damaged(name: str, exc: Exception) -> UploadError:
    """A zip that holds a damaged workbook: a truncated sheet, a broken workbook.xml,
    styles.xml or [Content_Types].xml. openpyxl then raises whatever its XML parser, zipfile
    or its own readers raise (ParseError, KeyError, TypeError, IndexError...): not a list one
    can keep complete, hence every Exception, reported as the user can act on it."""
    reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return UploadError(
        f"the workbook {name!r} is damaged ({reason}): save it again from your spreadsheet program."
    )


def _excel_text(value) -> str:
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bool):
        return "True" if value else ""
    return str(value)


def _rows_from_table(table: list[list[str]]) -> list[ParsedRow]:
    """Rows keep the line number they have in the file (blank lines are skipped, not renumbered)."""
    numbered = [
        (n, row) for n, row in enumerate(table, start=1) if any(str(c).strip() for c in row)
    ]
    if not numbered:
        raise UploadError("the file has no rows.")
    header = [str(cell).strip().upper() for cell in numbered[0][1]]
    unknown = [name for name in header if name and name not in [*COLUMNS, OIFITS_COLUMN]]
    if unknown:
        raise UploadError(
            f"unknown column(s) {', '.join(repr(n) for n in unknown)}: the columns are {', '.join(COLUMNS)} (download the template)."
        )
    duplicated = sorted({name for name in header if name and header.count(name) > 1})
    if duplicated:
        raise UploadError(f"column(s) {', '.join(duplicated)} appear twice.")
    missing = [name for name in ("ID1", "BIBCODE") if name not in header]
    if "UD_DIAM" not in header and "LD_DIAM" not in header:
        missing.append("UD_DIAM or LD_DIAM")
    if missing:
        raise UploadError(f"missing column(s) {', '.join(missing)} (download the template).")
    body = numbered[1:]
    if not body:
        raise UploadError("the file has a header but no measurement rows.")
    if len(body) > settings.SUBMISSION_MAX_ROWS:
        raise UploadError(
            f"the file has more than {settings.SUBMISSION_MAX_ROWS} rows: split it into smaller files."
        )
    rows = []
    for line, cells in body:
        if len(cells) > len(header) and any(str(c).strip() for c in cells[len(header) :]):
            raise UploadError(
                f"row {line} has {len(cells)} cells but the header has {len(header)}: check for an unquoted comma."
            )
        named = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(header) if name}
        parsed = parse_row(line, named)
        parsed.oifits = [
            n.strip() for n in str(named.get(OIFITS_COLUMN, "")).split(";") if n.strip()
        ]
        rows.append(parsed)
    return rows


# A zip upload: one table (CSV or .xlsx) and the OIFITS files its OIFITS column names.


def is_zip_upload(name: str) -> bool:
    """A .zip of a table and its files, told by its name (an .xlsx is a zip too)."""
    return name.lower().endswith(".zip")


@dataclass
class ZippedFile:
    """A member of the uploaded zip, read as an upload (``services.oifits.Uploaded``): streamed
    from the zip, never extracted under its own name, so no path in the zip reaches the disk."""

    archive: zipfile.ZipFile
    info: zipfile.ZipInfo

    @property
    def name(self) -> str:
        return PurePosixPath(self.info.filename).name

    @property
    def size(self) -> int:
        return self.info.file_size

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        # zipfile stops at the size the directory declares and checks the CRC: a member that
        # inflates beyond what it declared fails (BadZipFile) rather than filling the disk.
        with self.archive.open(self.info) as member:
            while chunk := member.read(chunk_size or 1024 * 1024):
                yield chunk


@dataclass
class ZipUpload:
    rows: list[ParsedRow]
    files: dict[int, list[ZippedFile]]  # row position -> its OIFITS files
    table_name: str
    unused: list[str] = field(default_factory=list)  # the zip's files no row names, by path

    def unused_warning(self, zip_name: str) -> str:
        """What the page says of the files no row names ("" when every file is used)."""
        if not self.unused:
            return ""
        names = ", ".join(self.unused)
        it = "it was" if len(self.unused) == 1 else "they were"
        return (
            f"{zip_name}: no row's {OIFITS_COLUMN} column names {names}: {it} not attached. "
            f"To attach one, name it in a row's {OIFITS_COLUMN} column and upload the zip again, "
            "or attach it on that row's OIFITS page of the draft."
        )


def read_submission_zip(name: str, data: IO[bytes]) -> ZipUpload:
    """The rows of the zip's table and, for each row, the members its OIFITS column names. Sizes
    are checked from the zip's directory before anything is read (a zip bomb is refused
    unopened): the table within SUBMISSION_UPLOAD_MAX_BYTES, the whole within
    SUBMISSION_ZIP_MAX_BYTES; each OIFITS file's own limit is attach_oifits' to say."""
    try:
        archive = zipfile.ZipFile(data)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UploadError(
            "this is not a readable .zip: make the zip again (the table and its OIFITS files)."
        ) from exc
    members = [
        info
        for info in archive.infolist()
        if not info.is_dir()
        # The Finder's companions of each file (resource forks), not the user's files.
        and not info.filename.startswith("__MACOSX/")
        and not PurePosixPath(info.filename).name.startswith("._")
    ]
    limit = settings.SUBMISSION_ZIP_MAX_BYTES
    if len(members) > settings.SUBMISSION_ZIP_MAX_FILES:
        raise UploadError(
            f"the zip holds {len(members)} files, more than {settings.SUBMISSION_ZIP_MAX_FILES}: "
            "split the submission into several zips."
        )
    total = sum(info.file_size for info in members)
    if total > limit:
        raise UploadError(
            f"the zip's files take {total / 1e6:.1f} MB once unpacked, over the limit of "
            f"{limit / 1e6:.1f} MB: split the submission into several zips."
        )
    tables = [i for i in members if i.filename.lower().endswith(TABLE_SUFFIXES)]
    if len(tables) != 1:
        found = ", ".join(i.filename for i in tables) or "none"
        raise UploadError(
            "the zip must hold exactly one table (.csv or .xlsx) beside the OIFITS files; "
            f"it holds {found}."
        )
    (table,) = tables
    if table.file_size > settings.SUBMISSION_UPLOAD_MAX_BYTES:
        raise UploadError(
            f"{table.filename} is {table.file_size / 1e6:.1f} MB; the limit is "
            f"{settings.SUBMISSION_UPLOAD_MAX_BYTES / 1e6:.1f} MB: split it into smaller files."
        )
    try:
        rows = _read_table(table.filename, archive.read(table))
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise UploadError(f"{table.filename} cannot be read from the zip: {exc}.") from exc
    others = [i for i in members if i is not table]
    by_path = {i.filename: i for i in others}
    by_name: dict[str, list[zipfile.ZipInfo]] = {}
    for info in others:
        by_name.setdefault(PurePosixPath(info.filename).name, []).append(info)
    problems: list[str] = []
    files: dict[int, list[ZippedFile]] = {}
    used: set[str] = set()
    for row in rows:
        for wanted in row.oifits:
            found_info = by_path.get(wanted)
            same_name = by_name.get(PurePosixPath(wanted).name, [])
            if found_info is None and len(same_name) == 1:
                found_info = same_name[0]
            where = f"row {row.position}, column {OIFITS_COLUMN}"
            if found_info is None and len(same_name) > 1:
                paths = ", ".join(i.filename for i in same_name)
                problems.append(
                    f"{where}: {wanted} is the name of several files in the zip ({paths}): "
                    "write the path of the one you mean."
                )
            elif found_info is None:
                problems.append(
                    f"{where}: {wanted} is not in the zip (its other files: "
                    f"{', '.join(sorted(by_path)) or 'none'}): add it, or correct the name."
                )
            else:
                files.setdefault(row.position, []).append(ZippedFile(archive, found_info))
                used.add(found_info.filename)
    if problems:
        raise UploadError(" ".join(problems))
    # A file no row names was put in the zip for a reason the table forgot: said, not dropped
    # silently. A warning, not a refusal: the rows and their named files are whole, the file
    # may be one sent on purpose (a readme, a calibrator's data), and it can be attached later.
    unused = sorted(i.filename for i in others if i.filename not in used)
    return ZipUpload(rows, files, table.filename, unused)
