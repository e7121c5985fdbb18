"""What `/health` checks: the database, the Celery broker and at least one worker; and, as
information that does not change the status, whether SIMBAD and the ESO archive answer.

Each check answers ``(healthy, text)``; the text says what was seen, so an operator reading
the JSON knows which part to look at. The embedded default (`make run`) has a broker (files in
var/broker) and a worker like production; only the test suite runs tasks eagerly, in the
calling process, and the broker and worker checks then say so and pass.
"""

import requests
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone

from .celery import app
from .models import IdentificationState, Star

# Seconds each check may take: a probe must answer well within its own timeout.
BROKER_TIMEOUT = 2.0
WORKER_TIMEOUT = 2.0


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return False, f"error: {exc.__class__.__name__}: {exc}".strip()
    return True, "ok"


EAGER = "none: tasks run in the calling process (eager mode, the test suite's)"
# Remote services are probed at most this often (their answers are cached): /health is
# polled every few seconds, and SIMBAD's etiquette counts every request.
REMOTE_PROBE_SECONDS = 300
REMOTE_TIMEOUT = 2.0


def check_broker() -> tuple[bool, str]:
    if app.conf.task_always_eager:
        return True, EAGER
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
    except Exception as exc:  # kombu raises the transport's own errors
        return False, f"error: {exc.__class__.__name__}: {exc}"
    return True, "ok"


def check_workers() -> tuple[bool, str]:
    if app.conf.task_always_eager:
        return True, EAGER
    try:
        # limit=1: answer as soon as one worker replies, not after the whole timeout.
        replies = app.control.ping(timeout=WORKER_TIMEOUT, limit=1)
    except Exception as exc:
        return False, f"error: {exc.__class__.__name__}: {exc}"
    if not replies:
        return False, f"no worker answered a ping within {WORKER_TIMEOUT:g} s"
    return True, "ok: " + ", ".join(name for reply in replies for name in reply)


def probe_remote(name: str, tap_url: str) -> str:
    """Whether a remote TAP service answers its capabilities, as seen at most
    REMOTE_PROBE_SECONDS ago. Information for the operator: the portal works without it
    (identification and harvests wait and retry)."""
    key = f"health:{name}:{tap_url}"
    seen = cache.get(key)
    if seen is None:
        try:
            response = requests.get(
                tap_url.rstrip("/") + "/capabilities",
                timeout=REMOTE_TIMEOUT,
                headers={"User-Agent": settings.SIMBAD_USER_AGENT},
            )
            seen = (
                "reachable"
                if response.status_code == 200
                else f"unreachable: HTTP {response.status_code}"
            )
        except requests.RequestException as exc:
            seen = f"unreachable: {exc.__class__.__name__}"
        seen += f" (checked at {timezone.now():%Y-%m-%d %H:%M:%S} UTC)"
        cache.set(key, seen, REMOTE_PROBE_SECONDS)
    return seen


def identification_in_progress() -> str:
    """How many names the portal is still identifying, by state (the pages' vocabulary)."""
    now = timezone.now()
    counts: dict[str, int] = {}
    working = Star.objects.filter(status__in=[Star.Status.PENDING, Star.Status.ERROR])
    for star in working.only(
        "status", "queued_at", "asking_since", "next_attempt_at", "last_error"
    ):
        code = IdentificationState.of(star, now).code
        counts[code] = counts.get(code, 0) + 1
    if not counts:
        return "nothing in progress"
    labels = {"queued": "queued", "asking": "asking SIMBAD", "unreachable": "SIMBAD unreachable"}
    return ", ".join(f"{counts[code]} {labels[code]}" for code in labels if code in counts)


def report() -> tuple[bool, dict[str, str]]:
    """Every check, in order; the worker is not asked when the broker is unreachable.
    SIMBAD and the ESO archive are reported but do not decide the status."""
    results = {"database": check_database(), "broker": check_broker()}
    if results["broker"][0]:
        results["worker"] = check_workers()
    else:
        results["worker"] = (False, "not asked: the broker is unreachable")
    healthy = all(ok for ok, _ in results.values())
    texts = {name: text for name, (_, text) in results.items()}
    texts["simbad"] = probe_remote("simbad", settings.SIMBAD_TAP_URL)
    texts["identification"] = identification_in_progress()
    texts["eso_archive"] = probe_remote("eso", settings.ESO_TAP_URL)
    return healthy, texts
