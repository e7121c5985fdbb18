"""The review workflow's transitions: submit, withdraw, start the review, ask for changes,
reject, accept (publishing every row), and comments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.verification import require_verified_address
from jmdc.models import CATALOGUE_FIELDS, Measurement, Star
from jmdc.tasks import enqueue_resolution

from .. import notifications
from ..models import AuditEntry, OifitsFile, Submission, SubmissionRow
from .errors import SubmissionInvalid
from .findings import _blocked, _recheck, findings_of, problems_of
from .free_text import _require_reason, clean_comment, free_text_problem
from .transitions import _lock, _move

if TYPE_CHECKING:
    from django.contrib.auth.models import User

State = Submission.State
Action = AuditEntry.Action


def submit(submission: Submission, *, actor: User) -> Submission:
    """Send a draft to the curators. Rows with errors block it, each error named."""
    require_verified_address(actor)
    with transaction.atomic():
        submission = _lock(submission.pk, actor, Action.SUBMIT)
        rows = _recheck(submission)
        if findings_of(rows, "error"):
            raise _blocked("{count} error(s) must be fixed before submitting.", rows, "error")
        submission = _move(
            submission, Action.SUBMIT, State.SUBMITTED, actor=actor, submitted_at=timezone.now()
        )
        # SIMBAD is asked after commit; if the broker is down, the periodic sweep asks later.
        stars = Star.objects.for_names(row.id1 for row in submission.rows.all())
        pending = [star.pk for star in stars.values() if star.status != Star.Status.RESOLVED]
        transaction.on_commit(lambda: enqueue_resolution(pending))
        return submission


def withdraw(submission: Submission, *, actor: User) -> Submission:
    with transaction.atomic():
        submission = _lock(submission.pk, actor, Action.WITHDRAW)
        return _move(submission, Action.WITHDRAW, State.DRAFT, actor=actor)


def start_review(submission: Submission, *, actor: User) -> Submission:
    with transaction.atomic():
        submission = _lock(submission.pk, actor, Action.START_REVIEW)
        return _move(submission, Action.START_REVIEW, State.IN_REVIEW, actor=actor, reviewer=actor)


def request_changes(submission: Submission, *, actor: User, reason: str) -> Submission:
    reason = _require_reason(reason, "ask for changes")
    with transaction.atomic():
        submission = _lock(submission.pk, actor, Action.REQUEST_CHANGES)
        return _move(
            submission, Action.REQUEST_CHANGES, State.CHANGES_REQUESTED, actor=actor, text=reason
        )


def reject(submission: Submission, *, actor: User, reason: str) -> Submission:
    reason = _require_reason(reason, "reject it")
    with transaction.atomic():
        submission = _lock(submission.pk, actor, Action.REJECT)
        return _move(
            submission,
            Action.REJECT,
            State.REJECTED,
            actor=actor,
            text=reason,
            decided_at=timezone.now(),
        )


def accept(
    submission: Submission, *, actor: User, acknowledge_warnings: bool = False, comment: str = ""
) -> Submission:
    """Publish every row as a catalogue measurement, in one transaction with the decision."""
    comment = clean_comment(comment)
    if problem := free_text_problem(comment):
        raise SubmissionInvalid("The comment is too long.", [f"Comment: {problem}"])
    with transaction.atomic():
        submission = _lock(submission.pk, actor, Action.ACCEPT)
        rows = _recheck(submission)
        if findings_of(rows, "error"):
            raise _blocked("{count} error(s): ask for changes instead.", rows, "error")
        warnings = problems_of(rows, "warning")
        if warnings and not acknowledge_warnings:
            raise _blocked("{count} warning(s) need your acknowledgement.", rows, "warning")
        stars = Star.objects.for_names({row.id1.strip() for row in rows})
        measurements = bulk_create_with_history(
            [
                Measurement(
                    star=stars[row.id1.strip()],
                    group=submission.group,
                    embargo_until=submission.embargo_until,
                    **{attr: getattr(row, attr) for attr in CATALOGUE_FIELDS},
                )
                for row in rows
            ],
            Measurement,
            default_user=actor,
            default_change_reason=f"accepted from submission {submission.pk}",
        )
        for row, measurement in zip(rows, measurements, strict=True):
            row.measurement = measurement
        SubmissionRow.objects.bulk_update(rows, ["measurement"])
        # The row's OIFITS files stay with what it became, in the same transaction: the
        # published measurement's page shows them and its visibility decides who downloads them.
        for row in rows:
            OifitsFile.objects.filter(row=row).update(measurement=row.measurement)
        return _move(
            submission, Action.ACCEPT, State.ACCEPTED, actor=actor, text=comment.strip(),
            changes={"measurements": [row.measurement_id for row in rows], "acknowledged_warnings": warnings},
            decided_at=timezone.now(),
        )  # fmt: skip


def comment(submission: Submission, *, actor: User, text: str) -> AuditEntry:
    text = clean_comment(text)
    if not text:
        raise SubmissionInvalid("Empty comment.", ["Write something before sending a comment."])
    if problem := free_text_problem(text):
        raise SubmissionInvalid("The comment is too long.", [f"Comment: {problem}"])
    with transaction.atomic():
        submission = _lock(submission.pk, actor, Action.COMMENT)
        entry = AuditEntry.objects.create(
            actor=actor,
            action=Action.COMMENT,
            submission=submission,
            text=text,
            state_from=submission.state,
            state_to=submission.state,
        )
        transaction.on_commit(lambda: notifications.enqueue_transition(entry.pk))
    return entry
