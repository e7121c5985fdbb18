"""What `/health` checks: the database, the Celery broker and at least one worker; and, as
information that does not change the status, whether SIMBAD and the ESO archive answer.

Each check answers ``(healthy, text)``; the text says what was seen, so an operator reading
the JSON knows which part to look at. The embedded default (`make run`) has a broker (files in
var/broker) and a worker like production; only the test suite runs tasks eagerly, in the
calling process, and the broker and worker checks then say so and pass.
"""

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count, Q
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from jmdc.models import IdentificationState, RemoteServiceCheck, Star

from .celery import app

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
# Remote services are probed by a periodic task (jmdc.tasks.probe_remote_services), never by
# /health itself: it is polled every few seconds, and SIMBAD's etiquette counts every request.


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


def remote_seen(name: str) -> str:
    check = RemoteServiceCheck.objects.filter(name=name).first()
    if check is None:
        minutes = settings.REMOTE_PROBE_SECONDS / 60
        return f"not checked yet (a worker checks every {minutes:g} minutes)"
    return str(check)


def identification_in_progress() -> str:
    """How many names the portal is still identifying, by state (the pages' vocabulary),
    counted by the database."""
    now = timezone.now()
    asking = Q(asking_since__gt=now - IdentificationState.ASKING_AT_MOST)
    counts = Star.objects.filter(status__in=[Star.Status.PENDING, Star.Status.ERROR]).aggregate(
        asking=Count("pk", filter=asking),
        unreachable=Count("pk", filter=~asking & Q(status=Star.Status.ERROR)),
        queued=Count("pk", filter=~asking & Q(status=Star.Status.PENDING)),
    )
    labels = {"queued": "queued", "asking": "asking SIMBAD", "unreachable": "SIMBAD unreachable"}
    parts = [f"{counts[code]} {label}" for code, label in labels.items() if counts[code]]
    return ", ".join(parts) or "nothing in progress"


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
    texts["simbad"] = remote_seen("simbad")
    texts["identification"] = identification_in_progress()
    texts["eso_archive"] = remote_seen("eso")
    return healthy, texts


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers, compose and operators: the database, the broker and a worker.

    200 when all answer, 503 naming what does not (the checks above)."""
    healthy, checks = report()
    return JsonResponse(
        {"status": "ok" if healthy else "failing", **checks}, status=200 if healthy else 503
    )
