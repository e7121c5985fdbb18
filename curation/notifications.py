"""E-mails about workflow transitions: composed here, sent by a Celery task queued once the
transition is committed (console backend unless SMTP is set)."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q

from accounts.verification import with_verified_address
from lib.text import one_line as text_on_one_line

from .models import AuditEntry, Submission, curators

logger = logging.getLogger(__name__)
Action = AuditEntry.Action


def _people(submission: Submission) -> set[str]:
    """The author and the members of the submission's group (verified addresses only)."""
    users = get_user_model().objects.filter(Q(pk=submission.author_id))
    if submission.group_id:
        users = users | get_user_model().objects.filter(groups=submission.group_id)
    return {u.email for u in with_verified_address(users.distinct())}


def _curators() -> set[str]:
    return {u.email for u in with_verified_address(curators())}


def one_line(text: str, limit: int = 150) -> str:
    """Text fit for an e-mail header (a legacy title with a newline made Django refuse the
    subject: BadHeaderError)."""
    return text_on_one_line(text, limit)


def transition_message(entry_id: int) -> EmailMessage | None:
    """The e-mail telling the people concerned about one audited transition or comment (None
    when there is nobody to tell). Written from the audit entry, so a retry minutes later still
    describes that event, not a later one."""
    entry = AuditEntry.objects.select_related("submission", "actor").get(pk=entry_id)
    submission, action, actor = entry.submission, entry.action, entry.actor
    if action == Action.SUBMIT:
        recipients = _curators()
    elif action == Action.COMMENT:
        reviewer = get_user_model().objects.filter(pk=submission.reviewer_id)
        recipients = _people(submission) | {u.email for u in with_verified_address(reviewer)}
    else:
        recipients = _people(submission)
    recipients.discard(getattr(actor, "email", None))
    if not recipients:
        return None
    url = settings.SITE_URL.rstrip("/") + submission.get_absolute_url()
    subject = one_line(f"[JMDC] {submission}: {Action(action).label}")
    state = Submission.State(entry.state_to).label if entry.state_to else ""
    lines = [
        f"{actor} {Action(action).label} submission {submission.pk} ({one_line(str(submission))}).",
        f"Its state became: {state}.",
    ]
    if entry.text:
        lines += ["", entry.text]
    lines += ["", url]
    return EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, sorted(recipients))


def transition(entry_id: int) -> bool:
    """Send the e-mail about an audited transition now; whether one was sent. A mail server
    that fails raises (OSError, smtplib's errors included): the task retries it."""
    message = transition_message(entry_id)
    if message is None:
        return False
    message.send(fail_silently=False)
    return True


def enqueue_transition(entry_id: int) -> None:
    """Queue the e-mail of a committed transition. Never raises: the transition stands
    whatever happens to its e-mail (a broker that is down is logged by try_enqueue)."""
    from lib.enqueue import try_enqueue

    from .tasks import send_transition_email

    submission_id, action = AuditEntry.objects.values_list("submission_id", "action").get(
        pk=entry_id
    )
    try_enqueue(
        send_transition_email, entry_id,
        what=f"the e-mail about submission {submission_id} ({action}); it is not sent",
    )  # fmt: skip
