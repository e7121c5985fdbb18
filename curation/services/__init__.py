"""Every write of the curation workflow: one function per action.

Each function takes ``actor=`` by keyword, runs in ``transaction.atomic()``, locks the row it
changes, checks the actor's right through ``allowed_actions`` (the permission matrix, in one
place), writes its audit entry in the same transaction, and sends e-mails only once the
transaction is committed. Views, the API, the admin and commands call these; none of them
saves a workflow object by hand.

By topic: ``drafts`` (an author's submission and its rows), ``review`` (the workflow's
transitions, accepting publishes), ``corrections`` (published rows), ``stars`` (identification
by curators), ``releases``; ``transitions`` is the lock-move-audit core they share, and
``curation.permissions`` says who may do what. Callers use ``services.accept(...)``: the names
below are the write side's whole public face.
"""

from .corrections import correct_measurements
from .drafts import (
    MAX_EMBARGO,
    TITLE_MAX_CHARS,
    create_submission,
    replace_rows,
    title_problem,
    update_row,
)
from .errors import SubmissionInvalid, TransitionError
from .findings import findings_of, problems_of, refresh_findings
from .free_text import clean_comment, free_text_problem
from .oifits import attach_oifits, remove_oifits
from .releases import build_release_again, cut_release
from .review import accept, comment, reject, request_changes, start_review, submit, withdraw
from .stars import (
    identification_refused,
    identify_star,
    request_identification,
    retry_identification,
)

__all__ = [
    "MAX_EMBARGO",
    "TITLE_MAX_CHARS",
    "SubmissionInvalid",
    "TransitionError",
    "accept",
    "attach_oifits",
    "build_release_again",
    "clean_comment",
    "comment",
    "correct_measurements",
    "create_submission",
    "cut_release",
    "findings_of",
    "free_text_problem",
    "identification_refused",
    "identify_star",
    "problems_of",
    "refresh_findings",
    "reject",
    "remove_oifits",
    "replace_rows",
    "request_changes",
    "request_identification",
    "retry_identification",
    "start_review",
    "submit",
    "title_problem",
    "update_row",
    "withdraw",
]
