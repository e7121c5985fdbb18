"""E-mails sent after a workflow transaction commits (console backend unless SMTP is set)."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
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


def transition(submission_id: int, action: str, actor_id: int) -> None:
    """Tell the people concerned what just happened to a submission."""
    submission = Submission.objects.select_related("author").get(pk=submission_id)
    entry = submission.audit.filter(action=action, actor_id=actor_id).order_by("-at", "-pk").first()
    actor = entry.actor if entry else None
    if action == Action.SUBMIT:
        recipients = _curators()
    elif action == Action.COMMENT:
        recipients = _people(submission) | (
            {submission.reviewer.email}
            if submission.reviewer and submission.reviewer.email
            else set()
        )
    else:
        recipients = _people(submission)
    recipients.discard(getattr(actor, "email", None))
    if not recipients:
        return
    url = settings.SITE_URL.rstrip("/") + submission.get_absolute_url()
    subject = f"[JMDC] {submission}: {Action(action).label}"
    lines = [
        f"{actor} {Action(action).label} submission {submission.pk} ({submission}).",
        f"Its state is now: {submission.get_state_display()}.",
    ]
    if entry and entry.text:
        lines += ["", entry.text]
    lines += ["", url]
    message = (subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, sorted(recipients))
    try:
        send_mass_mail([message], fail_silently=False)
    except OSError:
        # The transition is committed; a mail server that is down must not undo it.
        logger.exception(
            "could not send the e-mail about submission %s (%s)", submission_id, action
        )
