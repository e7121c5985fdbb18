"""Writing many new rows of a model with PostgreSQL's COPY FROM STDIN.

``bulk_create`` builds one INSERT of a few thousand parameters at a time: on PostgreSQL,
COPY's text format takes the same rows several times faster (one stream, no statement to
parse per batch), which is what makes a million synthetic exposures a benchmark of minutes.
Only PostgreSQL has it: callers use ``bulk_create`` elsewhere (``copy_available``)."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterable

from django.db import connection, models

CHUNK_ROWS = 20_000  # rows per COPY: bounds the memory of the text built before sending it
ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_available() -> bool:
    return connection.vendor == "postgresql"


def _text(field: models.Field, value) -> str:
    """A value as COPY's text format writes it: \\N for null, escaped backslashes and
    separators, JSON as its text, booleans as t/f."""
    if value is None:
        return "\\N"
    if isinstance(field, models.JSONField):
        text = json.dumps(value, cls=field.encoder)
    elif isinstance(value, bool):
        return "t" if value else "f"
    elif isinstance(value, float):
        return repr(value)  # every digit: the same double as an INSERT would store
    elif isinstance(value, datetime.datetime | datetime.date):
        text = value.isoformat()
    else:
        text = str(value)
    return text.translate(ESCAPES)


def copy_in(model: type[models.Model], objects: Iterable[models.Model]) -> int:
    """Insert ``objects`` (unsaved instances of ``model``, primary keys left to the
    database) with COPY, CHUNK_ROWS at a time, in the caller's transaction; the count."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = (
        f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        "FROM STDIN"
    )
    count = 0
    lines: list[str] = []

    def send() -> None:
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(sql, io.StringIO("".join(lines)))  # psycopg2's cursor
        lines.clear()

    for obj in objects:
        lines.append("\t".join(_text(f, f.pre_save(obj, add=True)) for f in fields) + "\n")
        count += 1
        if len(lines) >= CHUNK_ROWS:
            send()
    if lines:
        send()
    return count
