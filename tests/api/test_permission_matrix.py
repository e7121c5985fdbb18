"""docs/permissions.md, cell by cell, through the REST API only, with each persona's token."""

import pytest

from tests.curation.matrix import CELLS, in_state
from tests.rows import GOOD_ROW

pytestmark = pytest.mark.django_db

REQUESTS = {
    "edit": ("put", "rows", {"rows": [GOOD_ROW]}),
    "submit": ("post", "submit", {}),
    "withdraw": ("post", "withdraw", {}),
    "start_review": ("post", "start_review", {}),
    "request_changes": ("post", "request_changes", {"reason": "why"}),
    "accept": ("post", "accept", {"acknowledge_warnings": True}),
    "reject": ("post", "reject", {"reason": "why"}),
    "comment": ("post", "comment", {"text": "hello"}),
}


@pytest.mark.parametrize(
    ("action", "state", "role", "expected"), CELLS, ids=[f"{a}-{s}-{r}" for a, s, r, _ in CELLS]
)
def test_cell(matrix_people, api, action, state, role, expected):
    submission = in_state(matrix_people, state)
    client = api(role)  # the matrix's two extra curators too (tests/personas.user_of)
    url = f"/api/v1/submissions/{submission.pk}/"
    visible = any(c[3] for c in CELLS if c[:3] == ("view", state, role))
    if action == "view":
        response = client.get(url)
    else:
        method, path, body = REQUESTS[action]
        response = getattr(client, method)(url + path + "/", body, format="json")
    if expected:
        assert response.status_code == 200, response.json()
        if action != "view":
            assert response.json()["id"] == submission.pk
        return
    body = response.json()
    if role == "anonymous":
        assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Token")
    elif not visible:
        assert response.status_code == 404  # another's submission is not revealed
    else:
        assert response.status_code in (403, 409), body  # seen, but not theirs to do now
    assert set(body) == {"status", "code", "message", "errors"}
    assert body["status"] == response.status_code
    submission.refresh_from_db()
    assert submission.state == state  # nothing happened
