"""The catalogue as CSV, in the exact shape of the JMDC portal's ``/export_csv``.

Two downstream tools (the JSDC pipeline and a bibliography app) read this format, one of
them by splitting lines on commas and counting from the end, so every detail is a contract:
every field double-quoted, null as an empty string, numbers as Python's float repr, SINPE
``True`` or empty and last, LF line ends and no newline after the last row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from lib.sql_rows import QueryRows, py_repr

from ..columns import COLUMNS, Kind

HEADER = ",".join(f'"{column.name}"' for column in COLUMNS)
CHUNK_ROWS = 2000


def _text(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _number(value: float | int | None) -> str:
    return '""' if value is None else f'"{value!r}"'


def _flag(value: bool) -> str:
    return '"True"' if value else '""'


# One formatter per column, chosen once rather than tested per cell.
FORMATTERS = [
    _text if column.kind is Kind.TEXT else _flag if column.kind is Kind.FLAG else _number
    for column in COLUMNS
]


def format_row(values: Iterable) -> str:
    return ",".join([fmt(value) for fmt, value in zip(FORMATTERS, values, strict=True)])


def _sql_cell(kind: Kind, x: str) -> str:
    """The cell as FORMATTERS write it, in SQL (PostgreSQL; lib.sql_rows)."""
    if kind is Kind.TEXT:
        return f"'\"' || replace({x}, '\"', '\"\"') || '\"'"
    if kind is Kind.FLAG:
        return f"CASE WHEN {x} THEN '\"True\"' ELSE '\"\"' END"
    if kind is Kind.CODE:
        return f"CASE WHEN {x} IS NULL THEN '\"\"' ELSE '\"' || ({x})::text || '\"' END"
    return f"CASE WHEN {x} IS NULL THEN '\"\"' ELSE '\"' || {py_repr(x)} || '\"' END"


# A row in SQL, after the newline that ends the one before (as iter_csv joins them).
ROW_SQL = "chr(10) || " + " || ',' || ".join(
    _sql_cell(column.kind, f"{{{index}}}") for index, column in enumerate(COLUMNS)
)


def iter_csv(rows: Iterable[tuple]) -> Iterator[str | bytes]:
    """Yield the export in pieces of a few thousand rows, cheap in memory at any size.

    ``rows`` are the 12 values of each row in export order, already filtered and
    access-checked (``export_values()`` of a selection or of a release). Rows of a query on
    PostgreSQL (QueryRows) are written by the database, as bytes.
    """
    if isinstance(rows, QueryRows) and rows.in_sql:
        yield HEADER
        yield from rows.written(ROW_SQL)
        return
    buffer = [HEADER]
    for values in rows:
        buffer.append(format_row(values))
        if len(buffer) >= CHUNK_ROWS:
            yield "\n".join(buffer)
            buffer = [""]  # the next piece starts with the newline that ends this one
    if buffer != [""]:
        yield "\n".join(buffer)
