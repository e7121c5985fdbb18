"""Drafts: an author creates a submission with its rows, replaces them or corrects one.
Nothing is sent to curators until it is submitted (``review.submit``)."""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.verification import require_verified_address
from jmdc.models import CATALOGUE_FIELDS
from lib.text import LINE_BREAKS, clean_free_text

from ..models import AuditEntry, OifitsFile, Submission, SubmissionRow, collaboration_groups
from ..permissions import allowed_actions
from ..uploads import ParsedRow
from .errors import SubmissionInvalid
from .findings import refresh_findings
from .oifits import Uploaded, enqueue_fit, record_files, remove_temporary_files, store_row_files
from .transitions import _lock, _record_edit

if TYPE_CHECKING:
    from django.contrib.auth.models import Group, User

State = Submission.State
Action = AuditEntry.Action
MAX_EMBARGO = datetime.timedelta(days=3 * 365)


# A CharField always has its max_length (the stubs allow None for other fields).
TITLE_MAX_CHARS = cast(int, Submission._meta.get_field("title").max_length)


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


def _check_group(actor: User, group: Group | None, embargo_until: datetime.date | None) -> None:
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
    actor: User,
    rows: Iterable[ParsedRow],
    title: str = "",
    group: Group | None = None,
    embargo_until: datetime.date | None = None,
    source: str = Submission.Source.FORM,
    file_name: str = "",
    oifits: Mapping[int, Sequence[Uploaded]] | None = None,
) -> Submission:
    """A new draft with its rows and their findings. Nothing is sent to curators yet.

    ``oifits`` gives rows their OIFITS files (a batch upload's zip: row position -> files):
    every file is written to a temporary file and validated before anything is recorded, and one
    refused file refuses the submission, naming each refused file with its row, and records
    nothing."""
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
    positions = {row.position for row in rows}
    if unknown := sorted(set(oifits or {}) - positions):
        raise SubmissionInvalid(
            "No such row.", [f"There is no row {p} to attach files to." for p in unknown]
        )
    written: list[Path] = []
    try:
        # Slow I/O (writing, reading every file) before the transaction, as attach_oifits does.
        checked = store_row_files(oifits or {}, written=written)
        with transaction.atomic():
            submission = Submission.objects.create(
                author=actor, title=title, group=group, embargo_until=embargo_until,
                source=source, file_name=file_name[:255],
            )  # fmt: skip
            _store_rows(submission, rows)
            changes: dict = {"rows": len(rows), "source": source}
            if checked:
                now = timezone.now()
                stored_rows = submission.rows.filter(position__in=list(checked))
                for stored in stored_rows:
                    record_files(stored, checked[stored.position], actor=actor, now=now)
                    transaction.on_commit(partial(enqueue_fit, stored.pk))
                changes["oifits"] = {
                    str(p): [f"{c.name} ({c.sha256[:12]})" for c in files]
                    for p, files in checked.items()
                }
            AuditEntry.objects.create(
                actor=actor,
                action=Action.CREATE,
                submission=submission,
                state_to=State.DRAFT,
                changes=changes,
            )
    finally:
        # Nothing half-written: the bytes are in the rows (the transaction) or nowhere.
        remove_temporary_files(written)
    return submission


def replace_rows(
    submission: Submission,
    *,
    actor: User,
    rows: Iterable[ParsedRow],
    oifits: Mapping[int, Sequence[Uploaded]] | None = None,
) -> Submission:
    """Replace every row of an editable submission (a corrected file, an edited form), and with
    ``oifits`` (a zip's: row position -> files) give the new rows their files, as
    ``create_submission`` does: every file is written and validated first, and a refused file
    refuses the replacement, naming it with its row, leaving the old rows and files as they were
    and recording nothing new."""
    rows = list(rows)
    if not rows:
        raise SubmissionInvalid("No rows.", ["The submission has no measurement rows."])
    if unknown := sorted(set(oifits or {}) - {row.position for row in rows}):
        raise SubmissionInvalid(
            "No such row.", [f"There is no row {p} to attach files to." for p in unknown]
        )
    if oifits and Action.EDIT not in allowed_actions(actor, submission):
        # Asked before the files are written, as attach_oifits asks: nobody fills the disk of
        # a submission they may not edit. The lock below decides.
        with transaction.atomic():
            _lock(submission.pk, actor, Action.EDIT)
    written: list[Path] = []
    try:
        checked = store_row_files(oifits or {}, written=written)
        with transaction.atomic():
            submission = _lock(submission.pk, actor, Action.EDIT)
            # Rows replaced take their OIFITS files (bytes and all) with them: a new row 2 need
            # not be the old one.
            submission.rows.all().delete()
            _store_rows(submission, rows)
            changes: dict = {"rows": len(rows)}
            if checked:
                now = timezone.now()
                for new_row in submission.rows.filter(position__in=list(checked)):
                    record_files(new_row, checked[new_row.position], actor=actor, now=now)
                    transaction.on_commit(partial(enqueue_fit, new_row.pk))
                changes["oifits"] = {
                    str(p): [f"{c.name} ({c.sha256[:12]})" for c in files]
                    for p, files in checked.items()
                }
            _record_edit(submission, actor, changes)
    finally:
        # Nothing half-written: the bytes are in the rows (the transaction) or nowhere.
        remove_temporary_files(written)
    return submission


def update_row(
    submission: Submission, position: int, *, actor: User, row: ParsedRow
) -> SubmissionRow:
    """Correct one row of an editable submission; its findings are recomputed."""
    with transaction.atomic():
        submission = _lock(submission.pk, actor, Action.EDIT)
        stored = submission.rows.get(position=position)
        before = {attr: getattr(stored, attr) for attr in CATALOGUE_FIELDS}
        for attr, value in row.values.items():
            setattr(stored, attr, value)
        stored.cell_errors = row.cell_errors
        refit = stored.mu_lambda != before["mu_lambda"] and _queue_fit_again(stored)
        # The comparison with UD_DIAM and LD_DIAM is made again here, from the stored fit; a new
        # MU_LAMBDA changes the limb-darkened fit itself: its files wait for the worker, and
        # their findings are left out until it has fitted them again (never the old mu's).
        refresh_findings([stored])
        stored.save()
        if refit:
            transaction.on_commit(partial(enqueue_fit, stored.pk))
        changes = {
            attr: [before[attr], getattr(stored, attr)]
            for attr in CATALOGUE_FIELDS
            if before[attr] != getattr(stored, attr)
        }
        _record_edit(submission, actor, {"row": position, **changes})
    return stored


def _queue_fit_again(row: SubmissionRow) -> bool:
    """Mark the row's OIFITS files to be fitted again; whether it has any."""
    return bool(
        row.oifits_files.update(
            state=OifitsFile.State.QUEUED, progress=0, error="", queued_at=timezone.now()
        )
    )


def _store_rows(submission: Submission, rows: list[ParsedRow]) -> None:
    objects = [
        SubmissionRow(
            submission=submission, position=row.position, cell_errors=row.cell_errors, **row.values
        )
        for row in rows
    ]
    refresh_findings(objects)
    SubmissionRow.objects.bulk_create(objects)
