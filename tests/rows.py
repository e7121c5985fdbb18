"""Submitted rows for tests (invented values in the catalogue's shape), and the ``draft``
fixture: a pytest plugin (tests/conftest.py)."""

import pytest

from curation import services
from curation.uploads import parse_row

GOOD_ROW = {
    "ID1": "HD124897",
    "ID2": "alf Boo",
    "UD_DIAM": "19.9",
    "LD_DIAM": "20.91",
    "E_LD_DIAM": "0.07",
    "BAND": "K",
    "MU_LAMBDA": "",
    "METHOD": "1",
    "BANDCODE": "8",
    "NOTES": "",
    "BIBCODE": "2008A&A...485..561L",
    "SINPE": "",
}  # fmt: skip  (invented values in the catalogue's shape)

# The same row as a file's header line and data line.
HEADER = ",".join(GOOD_ROW) + "\n"
GOOD = ",".join(GOOD_ROW.values()) + "\n"


def row(position: int = 2, **cells):
    return parse_row(position, {**GOOD_ROW, **cells})


def form_data(**changes):
    """The one-measurement form's fields, filled with the good row."""
    data = {name: value for name, value in GOOD_ROW.items() if name != "SINPE"}
    data.update(changes)
    return data


@pytest.fixture
def draft(people):
    return services.create_submission(
        actor=people.astronomer, rows=[row()], group=people.group, title="alf Boo in K"
    )
