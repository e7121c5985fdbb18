"""The rules run on stored rows: their findings recomputed, and the findings that block a
transition turned into the user's list of problems."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Submission, SubmissionRow
from ..rules import check_row
from ..rules_context import build_context, seen_by_its_people
from .errors import SubmissionInvalid
from .oifits import oifits_findings


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
        # What the row's OIFITS files say (the worker's fit against the row's values), beside
        # the rules: a "far" is a warning the accepting curator acknowledges like theirs.
        from_files = oifits_findings(people_rows)
        for row in people_rows:
            found = check_row(row, context) + from_files.get(row.pk, [])
            row.findings = list(row.cell_errors) + [f.as_dict() for f in found]


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
