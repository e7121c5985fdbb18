"""Turning what an astronomer typed or uploaded into typed row values.

``read_submission_file`` refuses a file as a whole when it cannot be a submission (too big,
empty, binary, not UTF-8, wrong columns) with a message that says what to do. Cell by cell,
``parse_row`` turns text into values and reports every cell it cannot read with its row and
column, keeping the original text in the message so nothing typed is lost.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings

from jmdc.models import CATALOGUE_COLUMNS

from .rules import ERROR, WARNING

COLUMNS = [name for name, _ in CATALOGUE_COLUMNS]
ATTR = dict(CATALOGUE_COLUMNS)
NUMBER_FIELDS = {"ud_diam", "ld_diam", "e_ld_diam", "mu_lambda"}
INTEGER_FIELDS = {"method", "bandcode"}
TRUE_WORDS = {"true", "1", "yes", "y", "x"}
FALSE_WORDS = {"", "false", "0", "no", "n"}


class UploadError(Exception):
    """The file cannot be read as a submission; the message tells the user what to do."""


@dataclass
class ParsedRow:
    position: int
    values: dict
    cell_errors: list[dict]


def clean_text(value: str) -> tuple[str, bool]:
    """Trim, turn tabs and line breaks into blanks, drop other control characters."""
    text = re.sub(r"[\r\n\t]+", " ", value)
    cleaned = "".join(ch for ch in text if unicodedata.category(ch) != "Cc").strip()
    return cleaned, cleaned != text.strip()


def _cell_error(column: str, message: str, severity: str = ERROR) -> dict:
    return {"field": column, "severity": severity, "code": "unreadable", "message": message}


def parse_row(position: int, cells: dict[str, str]) -> ParsedRow:
    """Typed values from text cells keyed by column name (ID1, UD_DIAM...)."""
    values: dict = {}
    errors: list[dict] = []
    for column in COLUMNS:
        attr = ATTR[column]
        raw = cells.get(column)
        text, removed = clean_text("" if raw is None else str(raw))
        if removed:
            errors.append(_cell_error(column, "control characters were removed", WARNING))
        if attr in NUMBER_FIELDS:
            values[attr] = _number(column, text, errors)
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
            values[attr] = text
    return ParsedRow(position, values, errors)


def _number(column: str, text: str, errors: list[dict]) -> float | None:
    if text == "":
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
        number = float(text)
    except ValueError:
        errors.append(_cell_error(column, f"{text!r} is not a number."))
        return None
    if not math.isfinite(number):
        errors.append(_cell_error(column, f"{text!r} is not a finite number."))
        return None
    return number


def _integer(column: str, text: str, errors: list[dict]) -> int | None:
    if text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        errors.append(_cell_error(column, f"{text!r} is not a whole number."))
        return None
    if not number.is_integer():
        errors.append(_cell_error(column, f"{text!r} is not a whole number."))
        return None
    if not -(2**15) < number < 2**15:
        errors.append(_cell_error(column, f"{text!r} is far out of range."))
        return None
    return int(number)


def read_submission_file(name: str, data: bytes) -> list[ParsedRow]:
    """Rows of an uploaded CSV or .xlsx file in the export's column layout."""
    limit = settings.SUBMISSION_UPLOAD_MAX_BYTES
    if len(data) > limit:
        raise UploadError(
            f"the file is {len(data) / 1e6:.1f} MB; the limit is {limit / 1e6:.1f} MB: split it into smaller files."
        )
    if not data.strip():
        raise UploadError("the file is empty.")
    lower = name.lower()
    if data.startswith(b"PK\x03\x04") or lower.endswith(".xlsx"):
        table = _xlsx_table(data)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadError("this is an old Excel .xls file: save it as .xlsx or as CSV UTF-8.")
    else:
        table = _csv_table(data)
    return _rows_from_table(table)


def _csv_table(data: bytes) -> list[list[str]]:
    if b"\x00" in data[:8192]:
        raise UploadError(
            "this is a binary file, not a CSV text: upload the CSV or .xlsx file itself."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UploadError(
            f"the file is not UTF-8 (line {line}, byte {exc.start}): save it as 'CSV UTF-8' and upload it again."
        ) from exc
    first_line = text.split("\n", 1)[0]
    # Spreadsheets in many locales save CSV with semicolons.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise UploadError(f"the CSV cannot be read: {exc}.") from exc


def _xlsx_table(data: bytes) -> list[list[str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UploadError(
            "the file is not a valid .xlsx workbook: save it again from your spreadsheet as .xlsx or CSV UTF-8."
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        table = []
        for row in sheet.iter_rows(values_only=True):
            table.append(["" if value is None else _excel_text(value) for value in row])
            if len(table) > settings.SUBMISSION_MAX_ROWS + 1:
                break
        return table
    finally:
        workbook.close()


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
    unknown = [name for name in header if name and name not in COLUMNS]
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
        rows.append(parse_row(line, named))
    return rows
