"""docs/permissions.md, cell by cell, through the real service functions and pages."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from curation import permissions, services
from curation.models import Submission
from tests.curation.matrix import CELLS, in_state
from tests.personas import user_of
from tests.rows import row


def test_the_matrix_covers_every_action_state_and_role():
    actions = {c[0] for c in CELLS}
    assert actions == {"view", *permissions.ACTION_FROM}
    assert {c[1] for c in CELLS} == set(Submission.State.values)
    assert {c[2] for c in CELLS} == {
        "anonymous",
        "author",
        "colleague",
        "outsider",
        "curator",
        "manager",
        "group curator",
        "editing curator",
    }
    assert len(CELLS) == len(actions) * 6 * 8


def perform(action: str, submission: Submission, user) -> None:
    calls = {
        "edit": lambda: services.replace_rows(submission, actor=user, rows=[row()]),
        "submit": lambda: services.submit(submission, actor=user),
        "withdraw": lambda: services.withdraw(submission, actor=user),
        "start_review": lambda: services.start_review(submission, actor=user),
        "request_changes": lambda: services.request_changes(submission, actor=user, reason="why"),
        "accept": lambda: services.accept(submission, actor=user, acknowledge_warnings=True),
        "reject": lambda: services.reject(submission, actor=user, reason="why"),
        "comment": lambda: services.comment(submission, actor=user, text="hello"),
    }
    calls[action]()


def persona(people, role):
    return user_of(people, role) or AnonymousUser()


@pytest.mark.parametrize(
    ("action", "state", "role", "expected"), CELLS, ids=[f"{a}-{s}-{r}" for a, s, r, _ in CELLS]
)
def test_cell(matrix_people, client, action, state, role, expected):
    submission = in_state(matrix_people, state)
    user = persona(matrix_people, role)
    if action == "view":
        assert Submission.objects.visible_to(user).filter(pk=submission.pk).exists() is expected
        if user.is_authenticated:
            client.force_login(user)
        status = client.get(submission.get_absolute_url()).status_code
        assert status == (200 if expected else 404)
        return
    assert (action in permissions.allowed_actions(user, submission)) is expected
    if expected:
        perform(action, submission, user)
    else:
        with pytest.raises((PermissionDenied, services.TransitionError)):
            perform(action, submission, user)
        submission.refresh_from_db()
        assert submission.state == state
