"""An API client may write BANDCODE as its band letter, as a file or the form may."""

import pytest

from tests.rows import GOOD_ROW

pytestmark = pytest.mark.django_db


def test_a_row_sent_with_a_band_letter_is_stored_with_its_code(api, people):
    created = api("author").post(
        "/api/v1/submissions/",
        {"title": "letters", "rows": [{**GOOD_ROW, "BANDCODE": "K"}]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    (row,) = created.json()["rows"]
    assert row["bandcode"] == 8 and row["cell_errors"] == []
