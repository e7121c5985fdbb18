"""The transition core every workflow service shares: lock the submission and check the
actor's right (``_lock``), then change its state with a conditional UPDATE and audit it in
the same transaction (``_move``), the e-mail queued once it is committed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .. import notifications
from ..models import AuditEntry, Submission
from ..permissions import ACTION_FROM, DECISIONS, allowed_actions, why_not_decide
from .errors import TransitionError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Action = AuditEntry.Action


def _lock(submission_id: int, actor: User, action: str) -> Submission:
    submission = Submission.objects.select_for_update().get(pk=submission_id)
    if action in allowed_actions(actor, submission):
        return submission
    if submission.state not in ACTION_FROM[action]:
        last = submission.audit.exclude(action=Action.COMMENT).order_by("-at", "-pk").first()
        since = (
            f" since {last.actor} {last.get_action_display()} it at {last.at:%Y-%m-%d %H:%M} UTC"
            if last
            else ""
        )
        raise TransitionError(
            f"Submission {submission.pk} is {submission.get_state_display()}{since}: "
            f"you cannot {action.replace('_', ' ')} it now."
        )
    reason = why_not_decide(actor, submission) if action in DECISIONS else ""
    raise PermissionDenied(
        f"You may not do this ({Action(action).label}) on submission {submission.pk}."
        + (f" {reason}" if reason else "")
    )


def _move(
    submission: Submission,
    action: str,
    to_state: str,
    *,
    actor: User,
    text: str = "",
    changes=None,
    **fields,
) -> Submission:
    """Change state with a conditional UPDATE: on databases without row locks (SQLite) it is
    what makes two simultaneous transitions end with one winner."""
    now = timezone.now()
    from_state = submission.state
    updated = Submission.objects.filter(pk=submission.pk, state=from_state).update(
        state=to_state, updated_at=now, **fields
    )
    if updated != 1:
        raise TransitionError(
            f"Submission {submission.pk} changed while you were acting: reload the page."
        )
    entry = AuditEntry.objects.create(
        actor=actor, action=action, submission=submission, at=now,
        state_from=from_state, state_to=to_state, text=text, changes=changes or {},
    )  # fmt: skip
    submission.refresh_from_db()
    # The e-mail is a task queued after commit: whatever happens to it, the transition stands.
    transaction.on_commit(lambda: notifications.enqueue_transition(entry.pk))
    return submission


def _record_edit(submission: Submission, actor: User, changes: dict) -> None:
    """An edit keeps the state: the submission is touched and the audit says what changed."""
    Submission.objects.filter(pk=submission.pk).update(updated_at=timezone.now())
    AuditEntry.objects.create(
        actor=actor,
        action=Action.EDIT,
        submission=submission,
        state_from=submission.state,
        state_to=submission.state,
        changes=changes,
    )
