"""Whole numbers typed by people and programs (query strings, form fields, headers).

``str.isdigit()`` is true for "²" and "①", which ``int()`` then refuses: a 500 from a query
string. Only ASCII digits are a whole number here."""

from __future__ import annotations

import re

_WHOLE = re.compile(r"[0-9]+")
# The largest key of a row (a 64-bit signed integer on PostgreSQL and SQLite alike): a larger
# "id" from a form or a query string would fail in the database, not just find nothing.
MAX_ROW_ID = 2**63 - 1


def whole_number(text: str | None) -> int | None:
    """The value of a string of ASCII digits (no sign, no blanks), else None."""
    if text is None or not _WHOLE.fullmatch(text):
        return None
    return int(text)


def row_id(text: str | None) -> int | None:
    """A row's id as typed (1 to MAX_ROW_ID), else None: such a row cannot exist."""
    number = whole_number(text)
    return number if number is not None and 1 <= number <= MAX_ROW_ID else None
