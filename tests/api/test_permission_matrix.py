"""docs/permissions.md, cell by cell, through the REST API only, with each persona's token."""

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.curation.conftest import GOOD_ROW
from tests.curation.test_permission_matrix import CELLS, in_state, matrix_people  # noqa: F401

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
def test_cell(matrix_people, api, action, state, role, expected):  # noqa: F811
    submission = in_state(matrix_people, state)
    if role in ("group curator", "editing curator"):
        user = (
            matrix_people.group_curator
            if role == "group curator"
            else matrix_people.editing_curator
        )
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(user, 'test')[1]}")
    else:
        client = api(role)
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
