"""docs/permissions.md, cell by cell, through the real service functions and pages."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.exceptions import PermissionDenied

from curation import permissions, services
from curation.models import Submission
from tests.builders import verified_user
from tests.curation.conftest import row

MATRIX = Path(settings.BASE_DIR) / "docs" / "permissions.md"


def read_matrix() -> list[tuple[str, str, str, bool]]:
    lines = [line for line in MATRIX.read_text().splitlines() if line.startswith("| ")]
    roles = [cell.strip() for cell in lines[0].strip("|").split("|")][2:]
    cells = []
    for line in lines[1:]:
        action, state, *answers = (cell.strip() for cell in line.strip("|").split("|"))
        cells += [
            (action, state, role, answer == "yes")
            for role, answer in zip(roles, answers, strict=True)
        ]
    return cells


CELLS = read_matrix()


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


@pytest.fixture
def matrix_people(people):
    """The personas, plus two curators who are members of the submissions' group (invented)."""
    curators = Group.objects.get(name="curators")
    for name in ("cora", "ed"):
        user = verified_user(name, password=f"pw-{name}-1234")
        user.groups.add(curators, people.group)
    people.group_curator = User.objects.get(username="cora")
    people.editing_curator = User.objects.get(username="ed")
    return people


def in_state(people, state: str) -> Submission:
    """A submission by the astronomer, shared with the group, brought to ``state`` for real."""
    submission = services.create_submission(
        actor=people.astronomer, rows=[row()], group=people.group
    )
    if hasattr(people, "editing_curator"):  # they correct the row of the draft
        services.update_row(submission, 2, actor=people.editing_curator, row=row(E_LD_DIAM="0.08"))
    path = {
        "draft": [],
        "submitted": ["submit"],
        "in_review": ["submit", "review"],
        "changes_requested": ["submit", "review", "changes"],
        "accepted": ["submit", "review", "accept"],
        "rejected": ["submit", "review", "reject"],
    }[state]
    steps = {
        "submit": lambda: services.submit(submission, actor=people.astronomer),
        "review": lambda: services.start_review(submission, actor=people.curator),
        "changes": lambda: services.request_changes(submission, actor=people.curator, reason="r"),
        "accept": lambda: services.accept(
            submission, actor=people.curator, acknowledge_warnings=True
        ),
        "reject": lambda: services.reject(submission, actor=people.curator, reason="r"),
    }
    for step in path:
        steps[step]()
    submission.refresh_from_db()
    assert submission.state == state
    return submission


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
    return {
        "anonymous": AnonymousUser(),
        "author": people.astronomer,
        "colleague": people.colleague,
        "outsider": people.outsider,
        "curator": people.curator,
        "manager": people.manager,
        "group curator": people.group_curator,
        "editing curator": people.editing_curator,
    }[role]


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
