"""The VizieR dump of the catalogue: ``jmdc.dat`` in the exact byte layout of II/345.

Fixed-width ASCII records of 335 bytes (the ReadMe's Lrecl), columns at the bytes the
ReadMe's byte-by-byte description gives, ``-`` for null where it declares ``?=-``. A value
that cannot fit its format is an error naming the row: VizieR would read a shifted line.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from django.db.models import QuerySet

from .models import CATALOGUE_COLUMNS, Measurement

LRECL = 335


class VizierLayoutError(ValueError):
    pass


def _ascii(text: str) -> str:
    """VizieR files are ASCII: accents are dropped (é -> e), other characters become '?'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return (
        "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        .encode("ascii", "replace")
        .decode()
    )


def _text(value: str, width: int) -> str:
    value = _ascii(value or "")
    if len(value) > width:
        raise VizierLayoutError(
            f"{value[:40]!r} has {len(value)} characters, the column holds {width}"
        )
    return value.ljust(width)


def _real(value: float | None, width: int, decimals: int) -> str:
    if value is None:
        return "-".rjust(width)
    text = f"{value:{width}.{decimals}f}"
    if len(text) > width:
        raise VizierLayoutError(f"{value} does not fit F{width}.{decimals}")
    return text


def _integer(value: int | None, width: int, null: str = "-") -> str:
    if value is None:
        return null.rjust(width)
    text = f"{value:{width}d}"
    if len(text) > width:
        raise VizierLayoutError(f"{value} does not fit I{width}")
    return text


def format_record(values: tuple) -> str:
    """One line of jmdc.dat from the 12 catalogue values, in CATALOGUE_COLUMNS order."""
    id1, id2, ud, ld, e_ld, band, mu, method, bandcode, notes, bibcode, sinpe = values
    fields = [
        _text(id1, 28),            # 1- 28 A28
        _text(id2, 28),            # 30- 57 A28
        _real(ud, 9, 5),           # 59- 67 F9.5
        _real(ld, 7, 4),           # 69- 75 F7.4
        _real(e_ld, 8, 4),         # 77- 84 F8.4
        _text(band, 10),           # 86- 95 A10
        _real(mu, 7, 5),           # 97-103 F7.5
        _integer(method, 1, " "),  # 105 I1, [1/3]: blank where the legacy row has none
        _integer(bandcode, 2),     # 107-108 I2
        _text(notes, 204),         # 110-313 A204
        _text(bibcode, 19),        # 315-333 A19
        "1" if sinpe else " ",     # 335 I1, ? boolean flag
    ]  # fmt: skip
    line = " ".join(fields)
    assert len(line) == LRECL, len(line)
    return line


def iter_jmdc_dat(queryset: QuerySet[Measurement]) -> Iterator[str]:
    rows = queryset.in_export_order().values_list("pk", *[attr for _, attr in CATALOGUE_COLUMNS])
    buffer = []
    for pk, *values in rows.iterator(chunk_size=2000):
        try:
            buffer.append(format_record(tuple(values)) + "\n")
        except VizierLayoutError as exc:
            raise VizierLayoutError(f"measurement {pk} ({values[0]}, {values[10]}): {exc}") from exc
        if len(buffer) >= 2000:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)
