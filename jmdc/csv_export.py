"""The catalogue as CSV, in the exact shape of the JMDC portal's ``/export_csv``.

Two downstream tools (the JSDC pipeline and a bibliography app) read this format, one of
them by splitting lines on commas and counting from the end, so every detail is a contract:
every field double-quoted, null as an empty string, numbers as Python's float repr, SINPE
``True`` or empty and last, LF line ends and no newline after the last row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from .models import CATALOGUE_COLUMNS, Measurement

HEADER = ",".join(f'"{name}"' for name, _ in CATALOGUE_COLUMNS)
FIELDS = [attr for _, attr in CATALOGUE_COLUMNS]
CHUNK_ROWS = 2000


def _cell(value) -> str:
    if value is None or value is False:
        return '""'
    if value is True:
        return '"True"'
    if isinstance(value, float):
        return f'"{value!r}"'
    return '"' + str(value).replace('"', '""') + '"'


def format_row(values: Iterable) -> str:
    return ",".join(_cell(value) for value in values)


def iter_csv(queryset: QuerySet[Measurement]) -> Iterator[str]:
    """Yield the export in pieces of a few thousand rows, cheap in memory at any size.

    The queryset is already filtered and access-checked by the caller; it is put in export
    order here.
    """
    rows = queryset.in_export_order().values_list(*FIELDS).iterator(chunk_size=CHUNK_ROWS)
    buffer = [HEADER]
    for values in rows:
        buffer.append(format_row(values))
        if len(buffer) >= CHUNK_ROWS:
            yield "\n".join(buffer)
            buffer = [""]  # the next piece starts with the newline that ends this one
    if buffer != [""]:
        yield "\n".join(buffer)
