"""Issue #14, second review, defect 3: hostile JSON bodies get a 400 or a finding, never a
500. A lone surrogate ("\\ud800", half of a UTF-16 pair) can be written in JSON but in no
encoding; JSON nested 100,000 deep overflows Python's parser. Values invented."""

import json

import pytest

from curation.models import Submission
from tests.rows import GOOD_ROW

pytestmark = pytest.mark.django_db


def post_raw(client, url: str, body: str):
    # json.dumps escapes the surrogate as \ud800, as a hostile client would send it.
    return client.post(url, data=body, content_type="application/json")


@pytest.mark.parametrize("column", ["ID1", "ID2", "BIBCODE"])
def test_a_lone_surrogate_in_a_name_is_an_error_naming_it_and_nothing_keeps_it(api, column):
    author = api("author")
    row = {**GOOD_ROW, column: GOOD_ROW[column][:4] + "\ud800" + GOOD_ROW[column][4:]}
    response = post_raw(
        author, "/api/v1/submissions/", json.dumps({"title": "invented", "rows": [row]})
    )
    assert response.status_code == 201, response.content
    (stored,) = response.json()["rows"]
    assert stored[column.lower()] == GOOD_ROW[column]  # removed, and said:
    (error,) = [e for e in stored["cell_errors"] if e["field"] == column]
    assert (error["severity"], error["code"]) == ("error", "surrogate")
    assert error["message"].startswith(
        "U+D800 SURROGATE (half of a character, alone: not text) at position 5: not a character"
    )
    submitted = author.post(f"/api/v1/submissions/{response.json()['id']}/submit/")
    assert submitted.status_code == 400


def test_a_lone_surrogate_in_the_notes_is_removed_with_a_warning(api):
    author = api("author")
    row = {**GOOD_ROW, "NOTES": "seen \udfff twice"}
    response = post_raw(
        author, "/api/v1/submissions/", json.dumps({"title": "invented", "rows": [row]})
    )
    assert response.status_code == 201, response.content
    (stored,) = response.json()["rows"]
    assert stored["notes"] == "seen  twice"
    assert [(e["field"], e["severity"], e["message"]) for e in stored["cell_errors"]] == [
        (
            "NOTES",
            "warning",
            "lone surrogates removed (not characters: the text was damaged on its way): "
            "U+DFFF SURROGATE (half of a character, alone: not text) at position 6",
        )
    ]


def test_a_lone_surrogate_in_a_column_name_is_a_400_naming_it(api):
    row = {**GOOD_ROW, "ID3\ud800": "x"}
    response = post_raw(
        api("author"), "/api/v1/submissions/", json.dumps({"title": "invented", "rows": [row]})
    )
    assert response.status_code == 400
    assert "unknown column(s) ID3\\ud800: use ID1" in response.json()["errors"][0]["message"]
    assert not Submission.objects.exists()


@pytest.mark.parametrize("depth", [100_000, 200])
def test_json_nested_too_deeply_is_a_400_saying_so(api, depth):
    body = '{"title": "invented", "rows": ' + "[" * depth + "]" * depth + "}"
    response = post_raw(api("author"), "/api/v1/submissions/", body)
    assert response.status_code == 400
    assert response.json()["message"].startswith("the JSON is nested too deeply")
    assert not Submission.objects.exists()
