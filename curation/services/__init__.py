"""Every write of the curation workflow: one function per action.

Each function takes ``actor=`` by keyword, runs in ``transaction.atomic()``, locks the row it
changes, checks the actor's right through ``allowed_actions`` (the permission matrix, in one
place), writes its audit entry in the same transaction, and sends e-mails only once the
transaction is committed. Views, the API, the admin and commands call these; none of them
saves a workflow object by hand.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.verification import require_verified_address
from jmdc import releases
from jmdc.models import CATALOGUE_FIELDS, Measurement, Release, Star, StarAlias
from jmdc.tasks import enqueue_release_build, enqueue_resolution
from lib.text import LINE_BREAKS, clean_free_text, clean_paragraphs

from .. import notifications
from ..models import (
    AuditEntry,
    Submission,
    SubmissionRow,
    collaboration_groups,
    is_curator,
    is_manager,
)
from ..rules import COLUMN, CURATORS, RuleContext, StarFacts, check_row
from ..uploads import ParsedRow

State = Submission.State
Action = AuditEntry.Action
MAX_EMBARGO = datetime.timedelta(days=3 * 365)

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


TITLE_MAX_CHARS = Submission._meta.get_field("title").max_length


def title_problem(title: str) -> str:
    """What is wrong with a submission title, in the user's words ("" if nothing). A title is
    one line: it goes into e-mail subjects, where a line break is refused."""
    for index, char in enumerate(title, start=1):
        if char in LINE_BREAKS - {"\t"} or unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            what = "a line break" if char in LINE_BREAKS - {"\t"} else f"U+{ord(char):04X}"
            return f"A title is one line: remove {what} (character {index})."
    # Invisible and bidirectional characters would make the title read otherwise than stored.
    for finding in clean_free_text(title).findings:
        return f"The title holds {finding.characters}: remove it."
    if len(title) > TITLE_MAX_CHARS:
        return f"A title has at most {TITLE_MAX_CHARS} characters (this one has {len(title)})."
    return ""


def clean_comment(text: str) -> str:
    """A comment or reason as stored: lib.text's cleaning, line by line (the views tell the
    user what it removed; the API answers the stored text)."""
    return clean_paragraphs(text or "").text


def free_text_problem(text: str) -> str:
    """A comment or a reason too long to be stored and mailed ("" if it fits)."""
    limit = settings.FREE_TEXT_MAX_CHARS
    if len(text) > limit:
        return f"Write at most {limit} characters (this text has {len(text)})."
    return ""


class TransitionError(Exception):
    """The action does not fit the submission's current state (often: someone acted first)."""


class SubmissionInvalid(Exception):
    """Rows have errors (or unacknowledged warnings); ``problems`` lists them for the user."""

    def __init__(self, message: str, problems: list[str], findings: list[dict] | None = None):
        super().__init__(message)
        self.problems = problems
        # When rows block: their findings, each with its row number (for the API's errors).
        self.findings = findings or []


def is_member(user, submission: Submission, group_ids: set[int] | None = None) -> bool:
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


def with_writing_audit(submissions):
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


def why_not_decide(user, submission: Submission) -> str:
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


def allowed_actions(user, submission: Submission, *, group_ids: set[int] | None = None) -> set[str]:
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


def _lock(submission_id: int, actor, action: str) -> Submission:
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
    actor,
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


def _check_group(actor, group, embargo_until) -> None:
    # One answer for a role group and a group one is not in: group names are not revealed.
    if group is not None and not collaboration_groups().filter(pk=group.pk, user=actor).exists():
        raise PermissionDenied(
            f"You are not a member of a collaboration group named {group.name!r}."
        )
    if embargo_until is not None:
        if group is None:
            raise SubmissionInvalid(
                "An embargo needs a group.",
                ["Choose the collaboration group that may see the embargoed rows."],
            )
        today = timezone.localdate()
        if not today < embargo_until <= today + MAX_EMBARGO:
            raise SubmissionInvalid(
                "Embargo date out of range.",
                [
                    f"The embargo must end after today and within 3 years (by {today + MAX_EMBARGO})."
                ],
            )


def create_submission(
    *,
    actor,
    rows: Iterable[ParsedRow],
    title: str = "",
    group=None,
    embargo_until: datetime.date | None = None,
    source: str = Submission.Source.FORM,
    file_name: str = "",
) -> Submission:
    """A new draft with its rows and their findings. Nothing is sent to curators yet."""
    rows = list(rows)
    if not actor.is_authenticated:
        raise PermissionDenied("Log in to submit measurements.")
    require_verified_address(actor)
    if not rows:
        raise SubmissionInvalid("No rows.", ["The submission has no measurement rows."])
    if problem := title_problem(title):
        raise SubmissionInvalid("The title is not valid.", [f"Title: {problem}"])
    title = clean_free_text(title).text  # NFC and trimmed: nothing else is left to change
    _check_group(actor, group, embargo_until)
    with transaction.atomic():
        submission = Submission.objects.create(
            author=actor, title=title, group=group, embargo_until=embargo_until,
            source=source, file_name=file_name[:255],
        )  # fmt: skip
        _store_rows(submission, rows)
        AuditEntry.objects.create(
            actor=actor,
            action=Action.CREATE,
            submission=submission,
            state_to=State.DRAFT,
            changes={"rows": len(rows), "source": source},
        )
    return submission


def replace_rows(submission: Submission, *, actor, rows: Iterable[ParsedRow]) -> Submission:
    """Replace every row of an editable submission (a corrected file, an edited form)."""
    rows = list(rows)
    if not rows:
        raise SubmissionInvalid("No rows.", ["The submission has no measurement rows."])
    with transaction.atomic():
        submission = _lock(submission.pk, actor, Action.EDIT)
        submission.rows.all().delete()
        _store_rows(submission, rows)
        _record_edit(submission, actor, {"rows": len(rows)})
    return submission


def _record_edit(submission: Submission, actor, changes: dict) -> None:
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


def update_row(submission: Submission, position: int, *, actor, row: ParsedRow) -> SubmissionRow:
    """Correct one row of an editable submission; its findings are recomputed."""
    with transaction.atomic():
        submission = _lock(submission.pk, actor, Action.EDIT)
        stored = submission.rows.get(position=position)
        before = {attr: getattr(stored, attr) for attr in CATALOGUE_FIELDS}
        for attr, value in row.values.items():
            setattr(stored, attr, value)
        stored.cell_errors = row.cell_errors
        refresh_findings([stored])
        stored.save()
        changes = {
            attr: [before[attr], getattr(stored, attr)]
            for attr in CATALOGUE_FIELDS
            if before[attr] != getattr(stored, attr)
        }
        _record_edit(submission, actor, {"row": position, **changes})
    return stored


def _store_rows(submission: Submission, rows: list[ParsedRow]) -> None:
    objects = [
        SubmissionRow(
            submission=submission, position=row.position, cell_errors=row.cell_errors, **row.values
        )
        for row in rows
    ]
    refresh_findings(objects)
    SubmissionRow.objects.bulk_create(objects)


def build_context(rows: Iterable, *, viewer, seen=None) -> RuleContext:
    """What the rules need to know of the catalogue and SIMBAD for these rows, in 4 queries.

    The duplicate check looks with ``viewer``'s eyes: it names only the measurements the
    viewer may see (``seen``, by default ``Measurement.objects.visible_to(viewer)``); the
    others go to ``unseen``, of which the rules speak to curators only.
    """
    rows = list(rows)
    names = {(getattr(row, "id1", "") or "").strip() for row in rows}
    names.discard("")
    if seen is None:
        seen = Measurement.objects.visible_to(viewer)
    visible = set(seen.filter(id1__in=names).values_list("pk", flat=True))
    published: dict[tuple[str, str], list[tuple]] = {}
    unseen: dict[tuple[str, str], list[tuple]] = {}
    for id1, bibcode, band, ud, ld, pk in Measurement.objects.filter(id1__in=names).values_list(
        "id1", "bibcode", "band", "ud_diam", "ld_diam", "pk"
    ):
        target = published if pk in visible else unseen
        target.setdefault((id1, bibcode), []).append((band, ud, ld, pk))

    def facts(star: Star) -> StarFacts:
        return StarFacts(star.status, star.main_id, star.ra, star.dec, star.otype)

    stars = {star.name: facts(star) for star in Star.objects.filter(name__in=names)}
    for alias in StarAlias.objects.filter(name__in=names).select_related("star"):
        stars.setdefault(alias.name, facts(alias.star))
    return RuleContext(published=published, unseen=unseen, stars=stars)


def seen_by_its_people(submission: Submission):
    """The measurements everyone who may open the submission may see: its author and, when
    it is shared, its group's members (not the rows of the author's other groups)."""
    seen = Measurement.objects.visible_to(submission.author)
    if submission.group_id is None:
        return seen
    return seen.filter(
        Q(pk__in=Measurement.objects.public().values("pk")) | Q(group_id=submission.group_id)
    )


def refresh_findings(rows: list[SubmissionRow]) -> None:
    """Recompute the findings of rows in memory (the catalogue and SIMBAD may have moved on).

    The findings are stored with the rows and shown to everyone who may open the
    submission, so they are computed with its people's eyes whoever triggers the check (the
    author editing, a curator accepting, SIMBAD settling a name); what only curators may
    know is marked for them (``findings_seen_by``)."""
    ids = {row.submission_id for row in rows}
    submissions = Submission.objects.select_related("author").in_bulk(list(ids))
    # Submissions of one author shared with one group have the same people: one context.
    by_people: dict[tuple, list[SubmissionRow]] = {}
    for row in rows:
        submission = submissions[row.submission_id]
        by_people.setdefault((submission.author_id, submission.group_id), []).append(row)
    for people_rows in by_people.values():
        submission = submissions[people_rows[0].submission_id]
        context = build_context(
            people_rows, viewer=submission.author, seen=seen_by_its_people(submission)
        )
        for row in people_rows:
            row.findings = list(row.cell_errors) + [f.as_dict() for f in check_row(row, context)]


def findings_seen_by(user, findings: list[dict]) -> list[dict]:
    """The findings of a row as ``user`` may read them: curators read all of them."""
    if is_curator(user):
        return findings
    return [f for f in findings if f.get("audience") != CURATORS]


def _recheck(submission: Submission) -> list[SubmissionRow]:
    rows = list(submission.rows.all())
    refresh_findings(rows)
    SubmissionRow.objects.bulk_update(rows, ["findings"])
    return rows


def findings_of(rows: Iterable[SubmissionRow], severity: str) -> list[dict]:
    return [
        {"row": row.position, **finding}
        for row in rows
        for finding in row.findings
        if finding["severity"] == severity
    ]


def _as_text(findings: list[dict]) -> list[str]:
    return [f"row {f['row']}, column {f['field']}: {f['message']}" for f in findings]


def problems_of(rows: Iterable[SubmissionRow], severity: str) -> list[str]:
    return _as_text(findings_of(rows, severity))


def _blocked(message: str, rows: list[SubmissionRow], severity: str) -> SubmissionInvalid:
    findings = findings_of(rows, severity)
    return SubmissionInvalid(message.format(count=len(findings)), _as_text(findings), findings)


def submit(submission: Submission, *, actor) -> Submission:
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


def withdraw(submission: Submission, *, actor) -> Submission:
    with transaction.atomic():
        submission = _lock(submission.pk, actor, Action.WITHDRAW)
        return _move(submission, Action.WITHDRAW, State.DRAFT, actor=actor)


def start_review(submission: Submission, *, actor) -> Submission:
    with transaction.atomic():
        submission = _lock(submission.pk, actor, Action.START_REVIEW)
        return _move(submission, Action.START_REVIEW, State.IN_REVIEW, actor=actor, reviewer=actor)


def _require_reason(reason: str, what: str) -> str:
    reason = clean_comment(reason)
    if not reason:
        raise SubmissionInvalid(
            "A reason is needed.", [f"Say why you {what}: the author reads it."]
        )
    if problem := free_text_problem(reason):
        raise SubmissionInvalid("The reason is too long.", [f"Reason: {problem}"])
    return reason


def request_changes(submission: Submission, *, actor, reason: str) -> Submission:
    reason = _require_reason(reason, "ask for changes")
    with transaction.atomic():
        submission = _lock(submission.pk, actor, Action.REQUEST_CHANGES)
        return _move(
            submission, Action.REQUEST_CHANGES, State.CHANGES_REQUESTED, actor=actor, text=reason
        )


def reject(submission: Submission, *, actor, reason: str) -> Submission:
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
    submission: Submission, *, actor, acknowledge_warnings: bool = False, comment: str = ""
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
        return _move(
            submission, Action.ACCEPT, State.ACCEPTED, actor=actor, text=comment.strip(),
            changes={"measurements": [row.measurement_id for row in rows], "acknowledged_warnings": warnings},
            decided_at=timezone.now(),
        )  # fmt: skip


def comment(submission: Submission, *, actor, text: str) -> AuditEntry:
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


def correct_measurements(
    measurement_ids: Iterable[int], *, actor, changes: dict, reason: str
) -> list[Measurement]:
    """Curators correct published rows (a wrong ID1, rows filed under the wrong bibcode).

    Every corrected row keeps its full history with the reason; errors found by the rules
    on the corrected values block the correction.
    """
    if not is_curator(actor) or not actor.has_perm("jmdc.correct_measurement"):
        raise PermissionDenied("Only curators correct published measurements.")
    reason = _require_reason(reason, "correct these measurements")
    unknown = set(changes) - set(CATALOGUE_FIELDS)
    if unknown:
        raise SubmissionInvalid(
            "Unknown columns.", [f"{', '.join(sorted(unknown))} cannot be corrected."]
        )
    ids = list(measurement_ids)
    with transaction.atomic():
        measurements = list(
            Measurement.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        )
        if len(measurements) != len(set(ids)):
            raise SubmissionInvalid(
                "Unknown measurements.", ["Some of these measurements do not exist."]
            )
        before = {m.pk: {attr: getattr(m, attr) for attr in changes} for m in measurements}
        for measurement in measurements:
            for attr, value in changes.items():
                setattr(measurement, attr, value)
        # A correction must not bring errors into the columns it changes; older problems
        # elsewhere in a legacy row (an empty METHOD) do not block it.
        changed_columns = {COLUMN[attr] for attr in changes}
        context = build_context(measurements, viewer=actor)
        errors = [
            f"measurement {m.pk}, column {f.field}: {f.message}"
            for m in measurements
            for f in check_row(m, context)
            if f.severity == "error" and f.field in changed_columns
        ]
        if errors:
            raise SubmissionInvalid("The corrected values have errors.", errors)
        if "id1" in changes:
            name = changes["id1"].strip()
            star = Star.objects.for_names({name})[name]
        for measurement in measurements:
            if "id1" in changes:
                measurement.star = star
            measurement._history_user = actor
            measurement._change_reason = reason
            measurement.save()
            AuditEntry.objects.create(
                actor=actor, action=Action.CORRECT, measurement=measurement, text=reason,
                changes={attr: [before[measurement.pk][attr], changes[attr]] for attr in changes},
            )  # fmt: skip
    return measurements


def retry_identification(star_ids: Iterable[int], *, actor) -> int:
    """Curators ask SIMBAD again about stars it did not settle (the curators' page, the Star
    admin's action). The stars are locked, set pending and audited, one entry per star, in one
    transaction; the task is queued once it is committed. Resolved stars are left alone."""
    if not is_curator(actor):
        raise PermissionDenied("Only curators retry identifications.")
    with transaction.atomic():
        stars = list(
            Star.objects.select_for_update()
            .filter(pk__in=list(star_ids))
            .exclude(status=Star.Status.RESOLVED)
            .order_by("pk")
        )
        ids = [star.pk for star in stars]
        Star.objects.filter(pk__in=ids).update(status=Star.Status.PENDING, next_attempt_at=None)
        AuditEntry.objects.bulk_create(
            AuditEntry(
                actor=actor,
                action=Action.RETRY_IDENTIFICATION,
                star=star,
                changes={"name": star.name, "before": {"status": star.status}},
            )
            for star in stars
        )
        transaction.on_commit(lambda: enqueue_resolution(ids))
    return len(ids)


def request_identification(star: Star, *, actor, identifier: str, reason: str = "") -> None:
    """A curator asks for a star to be named by hand. SIMBAD is asked by a worker, never in
    the web request (``curation.tasks.identify_star_task`` calls ``identify_star``); the
    outcome, done or refused, is an audit entry the curators' page lists."""
    from lib.enqueue import try_enqueue

    from ..tasks import identify_star_task

    if not is_curator(actor):
        raise PermissionDenied("Only curators identify stars by hand.")
    identifier = " ".join((identifier or "").split())
    if not identifier:
        raise SubmissionInvalid("No identifier.", ["Give the SIMBAD identifier of the object."])
    if len(identifier) > Star._meta.get_field("name").max_length:
        raise SubmissionInvalid("Identifier too long.", ["A SIMBAD identifier is shorter."])
    reason = clean_comment(reason)
    if problem := free_text_problem(reason):
        raise SubmissionInvalid("The reason is too long.", [f"Reason: {problem}"])
    Star.objects.filter(pk=star.pk).update(queued_at=timezone.now())
    error = try_enqueue(
        identify_star_task, star.pk, actor.pk, identifier, reason,
        what=f"the identification of star {star.pk} by hand",
    )  # fmt: skip
    if error is not None:
        Star.objects.filter(pk=star.pk).update(queued_at=None)
        raise SubmissionInvalid(
            "The task queue is unreachable.",
            [
                "SIMBAD could not be asked: the task queue is unreachable. Try again in a few minutes."
            ],
        )


def identification_refused(star: Star, *, actor, identifier: str, reason: str, problem: str):
    """Audit a curator's identification that SIMBAD's answer did not allow (not one object,
    SIMBAD unreachable): the curators' page shows it beside the successful ones."""
    return AuditEntry.objects.create(
        actor=actor, action=Action.IDENTIFY, star=star, text=reason,
        changes={"identifier": identifier, "name": star.name, "refused": problem},
    )  # fmt: skip


def identify_star(star: Star, *, actor, identifier: str, reason: str = "") -> Star:
    """A curator names the SIMBAD object of a star by hand (one of the candidates of an
    ambiguous name, or another identifier). Runs in a worker (``request_identification``).
    SIMBAD is asked first, outside the transaction; the identity, the merge with an existing
    star and the audit entry are one transaction."""
    from jmdc.identification import merge_duplicates, set_identity
    from jmdc.simbad import get_client

    if not is_curator(actor):
        raise PermissionDenied("Only curators identify stars by hand.")
    identifier = (identifier or "").strip()
    if not identifier:
        raise SubmissionInvalid("No identifier.", ["Give the SIMBAD identifier of the object."])
    answer = get_client().resolve([identifier])[identifier]
    if answer.status != "resolved":
        found = ", ".join(o.main_id for o in answer.objects) or "nothing"
        raise SubmissionInvalid(
            "Not one object.",
            [f"SIMBAD finds {found} for {identifier!r}: give an identifier of exactly one object."],
        )
    with transaction.atomic():
        star = Star.objects.select_for_update().get(pk=star.pk)
        before = {"status": star.status, "main_id": star.main_id}
        set_identity(star, answer.objects[0])
        star.identified_by = actor
        star.attempts += 1
        star.last_error = ""
        star.next_attempt_at = None
        star.save()
        AuditEntry.objects.create(
            actor=actor, action=Action.IDENTIFY, star=star, text=reason.strip() or f"identified as {identifier}",
            changes={"before": before, "main_id": star.main_id, "identifier": identifier,
                     "name": star.name},
        )  # fmt: skip
        merged = merge_duplicates([star], actor=actor)
    if merged:  # the star was merged into an older one with the same identity
        return Star.objects.get(main_id=star.main_id, status=Star.Status.RESOLVED)
    return star


def cut_release(
    *, actor, version: str, date: datetime.date | None = None, notes: str = "", build: bool = True
) -> Release:
    """A manager freezes the public catalogue as release ``version`` and has its files built.

    The rows are copied in this transaction (the release is the catalogue of this moment,
    whatever is accepted or corrected while its files are written); the build runs as a task
    once the transaction is committed, unless ``build`` is False (the command builds in its
    own process and shows the progress).
    """
    if not is_manager(actor):
        raise PermissionDenied("Only catalogue managers cut releases.")
    version = (version or "").strip()
    if not version:
        raise releases.ReleaseError("Give the release a version (e.g. 2026.1).")
    # The notes are shown on the release page and kept in the audit: cleaned and capped as
    # a comment is (the page says what was removed; the command passes the text as given).
    notes = clean_comment(notes)
    if problem := free_text_problem(notes):
        raise releases.ReleaseError(f"Release notes: {problem}")
    try:
        Release._meta.get_field("version").run_validators(version)
    except ValidationError as exc:
        raise releases.ReleaseError(f"Version {version!r}: {' '.join(exc.messages)}") from exc
    with transaction.atomic():
        public = Measurement.objects.public().in_export_order()
        rows = (
            (pk, tuple(values))
            for pk, *values in public.values_list("pk", *CATALOGUE_FIELDS).iterator(chunk_size=2000)
        )
        release = releases.freeze(
            rows,
            version=version,
            date=date or timezone.localdate(),
            created_by=actor,
            source="public measurements of the portal",
            notes=notes,
        )
        AuditEntry.objects.create(
            actor=actor, action=Action.CUT_RELEASE, release=release, text=notes,
            changes={"version": version, "rows": release.row_count},
        )  # fmt: skip
        if build:
            transaction.on_commit(lambda: enqueue_release_build(release.pk))
    return release


def build_release_again(release: Release, *, actor) -> Release:
    """A manager starts the build of a release that failed or whose task was lost (a broker
    down when it was cut). A ready release is never built again."""
    if not is_manager(actor):
        raise PermissionDenied("Only catalogue managers build releases.")
    with transaction.atomic():
        release = Release.objects.select_for_update().get(pk=release.pk)
        if release.status == Release.Status.READY:
            raise TransitionError(f"Release {release.version} is ready: its files never change.")
        release.status, release.error = Release.Status.BUILDING, ""
        release.progress, release.stage = 0, "queued again"
        release.save(update_fields=["status", "error", "progress", "stage"])
        AuditEntry.objects.create(actor=actor, action=Action.BUILD_RELEASE, release=release)
        transaction.on_commit(lambda: enqueue_release_build(release.pk))
    return release
