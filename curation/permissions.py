"""Who may do what to a submission: the action table of the review workflow.

``allowed_actions`` is the permission matrix in one place (docs/permissions.md is its spec,
tests/curation/test_permission_matrix.py reads it cell by cell): the services ask it before
every transition, the pages and the API show what it answers. Separation of duties (nobody
publishes values they wrote) is decided here too, from the audit trail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from .models import AuditEntry, Submission, is_curator
from .rules import CURATORS

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

State = Submission.State
Action = AuditEntry.Action

# From which states each action may be taken; who may take it is decided in allowed_actions.
ACTION_FROM: dict[str, set[str]] = {
    Action.EDIT: {State.DRAFT, State.CHANGES_REQUESTED},
    Action.SUBMIT: {State.DRAFT, State.CHANGES_REQUESTED},
    Action.WITHDRAW: {State.SUBMITTED, State.CHANGES_REQUESTED},
    Action.START_REVIEW: {State.SUBMITTED},
    Action.REQUEST_CHANGES: {State.IN_REVIEW},
    Action.ACCEPT: {State.IN_REVIEW},
    Action.REJECT: {State.IN_REVIEW},
    Action.COMMENT: set(State.values),
}
AUTHOR_ACTIONS = {Action.EDIT, Action.SUBMIT, Action.WITHDRAW}
CURATOR_ACTIONS = {Action.START_REVIEW, Action.REQUEST_CHANGES, Action.ACCEPT, Action.REJECT}
DECISIONS = {Action.ACCEPT, Action.REJECT}


def is_member(
    user: User | AnonymousUser, submission: Submission, group_ids: set[int] | None = None
) -> bool:
    """The author, or a member of the submission's collaboration group. A list passes the
    user's ``group_ids``, read once, rather than ask the database row by row."""
    if not user.is_authenticated:
        return False
    if submission.author_id == user.pk:
        return True
    if not submission.group_id:
        return False
    if group_ids is not None:
        return submission.group_id in group_ids
    return user.groups.filter(pk=submission.group_id).exists()


WRITING_ACTIONS = [Action.CREATE, Action.EDIT]


def with_writing_audit(submissions: QuerySet[Submission]) -> QuerySet[Submission]:
    """The submissions with the audit entries that say who wrote their rows, in one query for
    all of them (what ``allowed_actions`` reads for a curator)."""
    return submissions.prefetch_related(
        Prefetch(
            "audit",
            queryset=AuditEntry.objects.filter(action__in=WRITING_ACTIONS).order_by("-at", "-pk"),
            to_attr="writing_audit",
        )
    )


def writers_of_current_rows(submission: Submission) -> set[int]:
    """Ids of the people who wrote or edited the rows as they are now, read from the audit
    trail: whoever created or last replaced them all, and whoever corrected a row since. The
    author is always one of them (nobody reviews their own submission)."""
    writers = {submission.author_id}
    # A list prefetches these entries for its whole page (``with_writing_audit``).
    entries = getattr(submission, "writing_audit", None)
    if entries is None:
        entries = submission.audit.filter(action__in=WRITING_ACTIONS).order_by("-at", "-pk")
    for actor_id, action, changes in ((e.actor_id, e.action, e.changes) for e in entries):
        writers.add(actor_id)
        if action == Action.CREATE or "rows" in changes:  # every row was (re)written here
            break
    return writers


def why_not_decide(user: User | AnonymousUser, submission: Submission) -> str:
    """Why ``user``, a curator, may not accept or reject ``submission`` ("" when they may):
    separation of duties, shown on the page and given as the API's 403."""
    if not is_curator(user) or user.pk not in writers_of_current_rows(submission):
        return ""
    if submission.author_id == user.pk:
        return "You are its author: another curator accepts or rejects it."
    return (
        "You wrote or edited its current rows: another curator accepts or rejects it, "
        "so that someone else has reviewed the values before they are published."
    )


def allowed_actions(
    user: User | AnonymousUser, submission: Submission, *, group_ids: set[int] | None = None
) -> set[str]:
    """The permission matrix: what ``user`` may do to ``submission`` in its current state.
    (``group_ids``: the user's groups, when a list has read them once.)"""
    if not user.is_authenticated:
        return set()
    member, curator = is_member(user, submission, group_ids), is_curator(user)
    allowed = set()
    for action, states in ACTION_FROM.items():
        if submission.state not in states:
            continue
        if (
            (action in AUTHOR_ACTIONS and member)
            or (action in CURATOR_ACTIONS and curator and submission.author_id != user.pk)
            or (
                action == Action.COMMENT
                and (member or (curator and submission.state != State.DRAFT))
            )
        ):
            allowed.add(action)
    # Separation of duties: nobody publishes or refuses values they wrote themselves. Asked
    # only when a decision is otherwise open, so lists do not read the audit of every row.
    if allowed & DECISIONS and why_not_decide(user, submission):
        allowed -= DECISIONS
    return allowed


def findings_seen_by(user: User | AnonymousUser, findings: list[dict]) -> list[dict]:
    """The findings of a row as ``user`` may read them: curators read all of them."""
    if is_curator(user):
        return findings
    return [f for f in findings if f.get("audience") != CURATORS]
