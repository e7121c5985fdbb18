"""The refusals a service answers with: the views show them, the API turns them into its
409 (``TransitionError``) and 400 with the rows' findings (``SubmissionInvalid``)."""

from __future__ import annotations


class TransitionError(Exception):
    """The action does not fit the submission's current state (often: someone acted first)."""


class SubmissionInvalid(Exception):
    """Rows have errors (or unacknowledged warnings); ``problems`` lists them for the user."""

    def __init__(self, message: str, problems: list[str], findings: list[dict] | None = None):
        super().__init__(message)
        self.problems = problems
        # When rows block: their findings, each with its row number (for the API's errors).
        self.findings = findings or []
