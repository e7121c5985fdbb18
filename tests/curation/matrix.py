"""docs/permissions.md read as cells (action, state, role, allowed), and submissions brought to
each state for real: shared by the matrix's tests through the services and through the API."""

from pathlib import Path

from django.conf import settings

from curation import services
from curation.models import Submission
from tests.rows import row

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
