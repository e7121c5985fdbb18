"""Background work of the catalogue core: SIMBAD identification, the JSDC's predictions.

Tasks take ids, never model instances; they are idempotent (resolved stars are skipped) and
acknowledged late, so a worker that dies mid-task leaves the message to another one.
"""

import logging

import requests
from celery import shared_task
from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from lib.enqueue import try_enqueue

from .identification import resolve_stars, stars_resolved
from .jsdc import VizierUnavailable
from .models import RemoteServiceCheck, Star
from .predictions import fetch_predictions, stars_without_jsdc_answer
from .simbad import SimbadQueryError, SimbadUnavailable

logger = logging.getLogger(__name__)
MAX_RETRIES = 6
SWEEP_LIMIT = 5000


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES, ignore_result=True)
def resolve_stars_task(self, star_ids: list[int]) -> str:
    """Resolve these stars; on service trouble retry with exponential backoff and jitter,
    or after SIMBAD's Retry-After. A query SIMBAD refuses is not retried."""
    try:
        return str(resolve_stars(star_ids))
    except SimbadQueryError as exc:  # retrying the same query cannot help
        logger.error("SIMBAD refused the query for stars %s: %s", star_ids[:20], exc)
        return f"SIMBAD refused the query: {exc}"
    except SimbadUnavailable as exc:
        if self.request.is_eager:  # no broker: the sweep tries again later
            logger.warning(
                "SIMBAD unavailable, %s stars left for the sweep: %s", len(star_ids), exc
            )
            return f"SIMBAD unavailable: {exc}"
        # Try again when the stars' own next attempt is due (resolve_stars set it from the
        # backoff and SIMBAD's Retry-After): the time the pages announce.
        due = Star.objects.filter(pk__in=star_ids).aggregate(at=Max("next_attempt_at"))["at"]
        countdown = max(1.0, (due - timezone.now()).total_seconds()) if due else 1.0
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(acks_late=True, ignore_result=True)
def sweep_pending_stars() -> str:
    """Periodic: every star still pending, or in error and due again, is asked for."""
    ids = list(
        Star.objects.due_for_resolution().order_by("pk").values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    if not ids:
        return "nothing to resolve"
    try:
        return str(resolve_stars(ids))
    except (SimbadUnavailable, SimbadQueryError) as exc:
        return f"SIMBAD failed, {len(ids)} stars wait for their next try: {exc}"


@shared_task(acks_late=True, ignore_result=True)
def sweep_missing_predictions() -> str:
    """Periodic: stars SIMBAD placed while VizieR was down (or before the JSDC was asked at
    all) get their JSDC prediction; the rows that name them are checked against it again."""
    ids = list(stars_without_jsdc_answer().values_list("pk", flat=True)[:SWEEP_LIMIT])
    if not ids:
        return "no star waits for its JSDC prediction"
    try:
        predicted = fetch_predictions(ids)
    except VizierUnavailable as exc:
        return f"VizieR failed, {len(ids)} stars wait for the next sweep: {exc}"
    if predicted:
        stars_resolved.send(sender=Star, star_ids=predicted)
    return f"{len(ids)} stars asked of the JSDC, {len(predicted)} with a prediction"


def enqueue_resolution(star_ids: list[int]) -> bool:
    """Queue the resolution of these stars; with the broker down, leave them to the sweep.

    Returns whether the work was queued (or run, in eager mode)."""
    if not star_ids:
        return True
    what = f"the SIMBAD resolution of {len(star_ids)} stars; the sweep will do it"
    # Marked first: a worker may take the task before this function returns.
    Star.objects.filter(pk__in=star_ids).update(queued_at=timezone.now())
    if try_enqueue(resolve_stars_task, star_ids, what=what) is None:
        return True
    Star.objects.filter(pk__in=star_ids, asking_since__isnull=True).update(queued_at=None)
    return False


@shared_task(acks_late=True, ignore_result=True)
def build_release_task(release_id: int) -> str:
    """Write a release's files (idempotent: a ready release is left alone). Progress is kept
    on the release row, where its page reads it."""
    from .releases import build

    result = build(release_id)
    return f"release {result.release.version}: {result.release.status}"


def enqueue_release_build(release_id: int) -> bool:
    """Queue the build of a release; with the broker down, the release stays 'building' and
    a manager starts the build again from its page. Returns whether it was queued (or run)."""
    return (
        try_enqueue(build_release_task, release_id, what=f"the build of release {release_id}")
        is None
    )


@shared_task(acks_late=True, ignore_result=True)
def run_export_task(job_id: str) -> str:
    from .exports import run_export

    job = run_export(job_id)
    return f"export {job.id}: {job.status}, {job.done} rows"


@shared_task(ignore_result=True)
def purge_old_exports() -> str:
    from .exports import purge_old_exports as purge

    return f"{purge()} old exports deleted"


@shared_task(ignore_result=True)
def probe_remote_services() -> str:
    """Periodic: does SIMBAD answer, does the ESO archive? Recorded for /health."""
    checks = [
        probe_remote("simbad", settings.SIMBAD_TAP_URL),
        probe_remote("eso", settings.ESO_TAP_URL),
    ]
    return "; ".join(f"{check.name}: {check}" for check in checks)


# Seconds the probe waits: /health reads what it recorded and never waits on a remote service.
REMOTE_TIMEOUT = 2.0


def probe_remote(name: str, tap_url: str) -> RemoteServiceCheck:
    """Ask a remote TAP service for its capabilities and record what was seen (the worker's
    periodic task does this; /health only reads it)."""
    try:
        response = requests.get(
            tap_url.rstrip("/") + "/capabilities",
            timeout=REMOTE_TIMEOUT,
            headers={"User-Agent": settings.SIMBAD_USER_AGENT},
        )
        reachable, detail = response.status_code == 200, f"HTTP {response.status_code}"
    except requests.RequestException as exc:
        reachable, detail = False, exc.__class__.__name__
    check, _ = RemoteServiceCheck.objects.update_or_create(
        name=name,
        defaults={"url": tap_url, "checked_at": timezone.now(), "reachable": reachable,
                  "detail": "" if reachable else detail},
    )  # fmt: skip
    return check
