"""Numbers typed by people and programs (query strings, form fields, uploads, headers).

``str.isdigit()`` is true for "²" and "①", which ``int()`` then refuses: a 500 from a query
string. Only ASCII digits are a whole number here."""

from __future__ import annotations

import math
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


# Plain decimal notation, ASCII digits: float() also reads "1_0" (as 10), "nan", "inf",
# "infinity" and the digits of other scripts (Arabic-Indic, fullwidth): none is a measurement.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


class NotADecimal(ValueError):
    """The text is not a number in plain decimal notation (the message says why)."""


def decimal_number(text: str) -> float:
    """The value of a number written in plain decimal notation (12, 1.5, .5, -0.3, 1e-3).
    ``NotADecimal`` otherwise, with a message naming the text: for 1_0, which float() reads
    as 10, nan, inf, 1e999 and digits of other scripts."""
    if _DECIMAL.fullmatch(text):
        number = float(text) + 0.0  # -0 is 0: jmdc.dat would write "-0.00000", a byte too wide
        if math.isfinite(number):
            return number
        raise NotADecimal(f"{text!r} is not a finite number")
    try:
        number = float(text)
    except ValueError:
        raise NotADecimal(f"{text!r} is not a number") from None
    if not math.isfinite(number):
        raise NotADecimal(f"{text!r} is not a finite number")
    raise NotADecimal(
        f"{text!r} is not a number in plain decimal notation: write it with the digits 0-9, "
        "a point and no '_' or blank (e.g. 10.5 or 1.05e1)"
    )
