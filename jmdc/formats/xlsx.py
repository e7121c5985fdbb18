"""The catalogue (or a selection) as an Excel workbook.

Written with openpyxl's write-only mode, row by row. Numbers are numeric cells, null cells
are empty, the header row is frozen, a second sheet gives each column's unit and meaning.
Text that a spreadsheet would run as a formula (starting with = + - @) is written as a string
cell marked as quoted text: never a formula, however it is opened.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from lib.text import FORMULA_PREFIXES

from ..columns import COLUMNS, Kind

WIDTHS = {"ID1": 22, "ID2": 18, "BAND": 10, "NOTES": 60, "BIBCODE": 21}


def text_cell(sheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # always a string, even "=HYPERLINK(...)": never a formula
    if value.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True  # spreadsheets show it as typed text on editing too
    return cell


def write_xlsx(rows: Iterable[tuple], *, created: datetime.datetime | None = None) -> bytes:
    """The rows (12 values each, in export order) as a workbook; ``created`` dates it (a
    release gives its own date, so its file says when the catalogue was frozen)."""
    workbook = Workbook(write_only=True)
    if created is not None:
        workbook.properties.created = created
    sheet = workbook.create_sheet("jmdc")
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[chr(64 + index)].width = WIDTHS.get(column.name, 11)
    bold = Font(bold=True)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    text_columns = {i for i, column in enumerate(COLUMNS) if column.kind is Kind.TEXT}
    for values in rows:
        sheet.append(
            [
                text_cell(sheet, value) if i in text_columns else value
                for i, value in enumerate(values)
            ]
        )
    about = workbook.create_sheet("columns")
    about.append(["column", "unit", "meaning"])
    for column in COLUMNS:
        about.append([column.name, column.unit, column.description])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
