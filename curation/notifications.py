"""E-mails about workflow transitions: composed here, sent by a Celery task queued once the
transition is committed (console backend unless SMTP is set)."""

import logging
import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q

from accounts.verification import with_verified_address

from .models import AuditEntry, Submission

logger = logging.getLogger(__name__)
Action = AuditEntry.Action


def _people(submission: Submission) -> set[str]:
    """The author and the members of the submission's group (verified addresses only)."""
    users = get_user_model().objects.filter(Q(pk=submission.author_id))
    if submission.group_id:
        users = users | get_user_model().objects.filter(groups=submission.group_id)
    return {u.email for u in with_verified_address(users.distinct())}


def _curators() -> set[str]:
    users = get_user_model().objects.filter(
        Q(groups__permissions__codename="review_submission") | Q(is_superuser=True), is_active=True
    )
    return {u.email for u in with_verified_address(users.distinct())}


def one_line(text: str, limit: int = 150) -> str:
    """Text fit for an e-mail header: line breaks and other control characters become spaces
    (a legacy title with a newline made Django refuse the subject: BadHeaderError), and a long
    text is cut with an ellipsis."""
    flat = " ".join(
        "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text).split()
    )
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def transition_message(submission_id: int, action: str, actor_id: int) -> EmailMessage | None:
    """The e-mail telling the people concerned what just happened to a submission (None when
    there is nobody to tell)."""
    submission = Submission.objects.select_related("author").get(pk=submission_id)
    entry = submission.audit.filter(action=action, actor_id=actor_id).order_by("-at", "-pk").first()
    actor = entry.actor if entry else None
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
    lines = [
        f"{actor} {Action(action).label} submission {submission.pk} ({one_line(str(submission))}).",
        f"Its state is now: {submission.get_state_display()}.",
    ]
    if entry and entry.text:
        lines += ["", entry.text]
    lines += ["", url]
    return EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, sorted(recipients))


def transition(submission_id: int, action: str, actor_id: int) -> bool:
    """Send the e-mail about a transition now; whether one was sent. A mail server that fails
    raises (OSError, smtplib's errors included): the task retries it (curation.tasks)."""
    message = transition_message(submission_id, action, actor_id)
    if message is None:
        return False
    message.send(fail_silently=False)
    return True


def enqueue_transition(submission_id: int, action: str, actor_id: int) -> None:
    """Queue the e-mail of a committed transition. Never raises: the transition stands
    whatever happens to its e-mail (a broker that is down is logged by try_enqueue)."""
    from jmdc.tasks import try_enqueue

    from .tasks import send_transition_email

    try_enqueue(
        send_transition_email, submission_id, action, actor_id,
        what=f"the e-mail about submission {submission_id} ({action}); it is not sent",
    )  # fmt: skip
