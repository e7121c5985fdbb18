"""On PostgreSQL the database writes the rows of the catalogue's CSV and VOTable downloads
itself: the bytes are the Python writers', for hostile rows too (markup, control characters,
quotes, Unicode, NaN, None, huge and tiny doubles, negative zero)."""

import pytest
from django.db import connection
from django.http import QueryDict

from jmdc.exports import export_rows
from jmdc.formats.csv import iter_csv
from jmdc.formats.votable import iter_votable
from jmdc.models import Measurement
from lib.votable import VERSIONS
from tests.builders import measurement

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the database writes the rows on PostgreSQL"
    ),
]

# The database keeps diameters above 0 (NaN and infinity pass its check), errors and
# coefficients at 0 or more (-0 too).
NUMBERS = [
    1.0, 0.906, 1 / 3, 1e-5, 5e-324, 1e15, 1125899906842624.2, 9999999999999998.0,
    1e16, 1e23, 1.5e300, float("nan"), float("inf"), None, 2.5, 100.0, 0.1, 1e22, 123456789.125,
]  # fmt: skip
NOT_NEGATIVE = [0.0, -0.0, *NUMBERS]
TEXTS = [
    "", "plain", '<b>"quoted"</b> & \'single\'', "tab\there\nnewline\r", "\x01\x07\x1f",
    "Ångström — 東京 🌟", '"', '""', "%s {0} {1}",
    # The database's mark of a double Python writes (lib.sql_rows.marked), and the same
    # without its double quote: text, written as it is.
    '\x01"1e+23\x02', "\x011e+23\x02",
]  # fmt: skip


def as_bytes(pieces) -> bytes:
    return b"".join(p if isinstance(p, bytes) else p.encode() for p in pieces)


def test_the_database_writes_the_csv_and_votable_rows_as_the_python_writers():
    for n in range(len(NUMBERS)):
        measurement(
            id1=f"HD{n + 1}", id2=TEXTS[n % len(TEXTS)], ud_diam=NUMBERS[n],
            ld_diam=NUMBERS[(n * 5 + 1) % len(NUMBERS)], e_ld_diam=NOT_NEGATIVE[(n * 7 + 2) % len(NOT_NEGATIVE)],
            mu_lambda=NOT_NEGATIVE[n % len(NOT_NEGATIVE)], band=TEXTS[(n + 1) % len(TEXTS)][:10],
            method=None if n % 4 == 0 else 1 + n % 3, bandcode=None if n % 3 == 0 else 7,
            notes=TEXTS[(n + 2) % len(TEXTS)], bibcode=f"20{n:02d}A&A<{n}>.\"1\"",
            sinpe=n % 2 == 0,
        )  # fmt: skip
    rows = export_rows(Measurement.objects.all(), QueryDict())
    assert rows.in_sql
    values = list(rows)
    assert len(values) == len(NUMBERS)
    csv = as_bytes(iter_csv(rows))
    assert csv.count(b'\n"HD') == len(NUMBERS)  # each row after a newline
    assert csv == as_bytes(iter_csv(iter(values)))
    for version in VERSIONS.values():
        assert as_bytes(iter_votable(rows, version=version)) == as_bytes(
            iter_votable(iter(values), version=version)
        )
