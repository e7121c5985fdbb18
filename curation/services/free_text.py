"""Free text that a service stores and mails: comments, reasons, release notes."""

from __future__ import annotations

from django.conf import settings

from lib.text import clean_paragraphs

from .errors import SubmissionInvalid


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


def _require_reason(reason: str, what: str) -> str:
    reason = clean_comment(reason)
    if not reason:
        raise SubmissionInvalid(
            "A reason is needed.", [f"Say why you {what}: the author reads it."]
        )
    if problem := free_text_problem(reason):
        raise SubmissionInvalid("The reason is too long.", [f"Reason: {problem}"])
    return reason
