"""Whole numbers typed by people and programs (query strings, form fields, headers).

``str.isdigit()`` is true for "²" and "①", which ``int()`` then refuses: a 500 from a query
string. Only ASCII digits are a whole number here."""

from __future__ import annotations

import re

_WHOLE = re.compile(r"[0-9]+")


def whole_number(text: str | None) -> int | None:
    """The value of a string of ASCII digits (no sign, no blanks), else None."""
    if text is None or not _WHOLE.fullmatch(text):
        return None
    return int(text)
