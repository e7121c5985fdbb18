"""Background work of curation: the e-mails of workflow transitions.

Queued once the transition is committed (``notifications.enqueue_transition``), so a mail
server that is down, slow or refusing never turns a committed accept into a 500: the task
retries with backoff and, in the end, logs the failure.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from lib.retry import backoff_seconds

from . import notifications
from .models import AuditEntry

logger = logging.getLogger(__name__)
MAX_RETRIES = 5


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES, ignore_result=True)
def send_transition_email(self, entry_id: int) -> str:
    """Tell the people concerned about an audited transition; retry a failing mail server
    (smtplib's errors are OSErrors) with exponential backoff and jitter, then log it as lost."""
    try:
        sent = notifications.transition(entry_id)
    except OSError as exc:
        submission_id, action = AuditEntry.objects.values_list("submission_id", "action").get(
            pk=entry_id
        )
        if self.request.is_eager or self.request.retries >= self.max_retries:
            # Eager (no broker): retrying here would hold the web request; nothing retries later.
            logger.error(
                "could not send the e-mail about submission %s (%s), given up: %s",
                submission_id, action, exc,
            )  # fmt: skip
            return f"not sent: {exc}"
        countdown = backoff_seconds(self.request.retries, settings.EMAIL_RETRY_BASE_SECONDS)
        logger.warning(
            "the e-mail about submission %s (%s) failed, next try in %.1f s: %s",
            submission_id, action, countdown, exc,
        )  # fmt: skip
        raise self.retry(exc=exc, countdown=countdown) from exc
    return "sent" if sent else "nobody to tell"


@shared_task(bind=True, acks_late=True, max_retries=3, ignore_result=True)
def identify_star_task(self, star_id: int, actor_id: int, identifier: str, reason: str) -> str:
    """A curator's identification by hand (services.request_identification): SIMBAD is asked
    here; an answer that is not one object, or a SIMBAD that stays unreachable, is audited as
    refused so the curators' page says why."""
    from django.contrib.auth import get_user_model

    from jmdc.models import Star
    from jmdc.simbad import SimbadQueryError, SimbadUnavailable

    from . import services

    star = Star.objects.filter(pk=star_id).first()
    if star is None:  # merged into another star meanwhile
        return "the star is gone"
    actor = get_user_model().objects.get(pk=actor_id)
    Star.objects.filter(pk=star_id).update(asking_since=timezone.now(), queued_at=None)
    try:
        star = services.identify_star(star, actor=actor, identifier=identifier, reason=reason)
        return f"{star.name} is now {star.main_id}"
    except services.SubmissionInvalid as exc:
        services.identification_refused(
            star, actor=actor, identifier=identifier, reason=reason, problem=exc.problems[0]
        )
        return exc.problems[0]
    except SimbadUnavailable as exc:
        if not self.request.is_eager and self.request.retries < self.max_retries:
            Star.objects.filter(pk=star_id).update(queued_at=timezone.now())
            countdown = backoff_seconds(
                self.request.retries,
                settings.SIMBAD_RETRY_BASE_SECONDS,
                retry_after=exc.retry_after,
            )
            raise self.retry(exc=exc, countdown=countdown) from exc
        problem = f"SIMBAD could not be asked ({exc}); try again later."
    except SimbadQueryError as exc:
        problem = f"SIMBAD refused the query ({exc})."
    finally:
        Star.objects.filter(pk=star_id).update(asking_since=None)
    services.identification_refused(
        star, actor=actor, identifier=identifier, reason=reason, problem=problem
    )
    return problem


@shared_task(bind=True, acks_late=True, ignore_result=True)
def fit_oifits_task(self, row_id: int) -> str:
    """Fit a uniform and a limb-darkened disc to a row's OIFITS files (services.oifits.fit_row):
    SciPy's least squares, seconds at most, never in a web request. Idempotent: a repeated
    message fits the same files again to the same result."""
    from .services.oifits import fit_row

    return fit_row(row_id)


@shared_task(ignore_result=True)
def sweep_queued_oifits() -> int:
    """Beat's sweep: rows whose files still wait for their fit are queued again."""
    from .services.oifits import sweep_queued_oifits as sweep

    return sweep(settings.OIFITS_SWEEP_SECONDS)
