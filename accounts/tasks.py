"""The accounts' e-mails (address verification, password reset), sent by the worker.

Queued once the request's work is committed, never sent in the web request: a mail server that
is slow or down must not hold a gunicorn worker nor turn a sign-up into a 500. A failing server
(smtplib's errors are OSErrors) is retried with backoff, then the loss is logged, as for the
workflow's e-mails (curation/tasks.py).
"""

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail

from lib.retry import backoff_seconds

from . import verification

logger = logging.getLogger(__name__)
MAX_RETRIES = 5


def _retry_or_give_up(task, exc: OSError, what: str) -> bool:
    """Raise Celery's retry, or log the e-mail as lost and return True (given up)."""
    if task.request.is_eager or task.request.retries >= task.max_retries:
        # Eager (no broker): retrying here would hold the web request; nothing retries later.
        logger.error("could not send %s, given up: %s", what, exc)
        return True
    countdown = backoff_seconds(task.request.retries, settings.EMAIL_RETRY_BASE_SECONDS)
    logger.warning("%s failed, next try in %.1f s: %s", what, countdown, exc)
    raise task.retry(exc=exc, countdown=countdown) from exc


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES, ignore_result=True)
def send_verification_email(self, user_id: int) -> str:
    """The link to the account's current address (made now: an address changed since the
    request gets the link for itself)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or verification.is_verified(user):
        return "nothing to send"
    try:
        verification.send_link(user)
    except OSError as exc:
        if _retry_or_give_up(self, exc, f"the verification e-mail to user {user_id}"):
            # "Send the link again" must work at once, not in a minute.
            verification.forget_sent_mark(user)
            return f"not sent: {exc}"
    return "sent"


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES, ignore_result=True)
def send_password_reset_email(self, subject: str, body: str, to: str) -> str:
    """Django's reset e-mail, rendered in the request (it needs the request's site)."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    except OSError as exc:
        if _retry_or_give_up(self, exc, "a password-reset e-mail"):
            return f"not sent: {exc}"
    return "sent"
