"""What `/health` checks: the database, the Celery broker and at least one worker taking the
default queue; and, as information that does not change the status, whether SIMBAD and the ESO
archive answer and who takes TAP's queue.

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
TAP_QUEUE = "tap"  # CELERY_TASK_ROUTES sends vo.uws.tasks.run_job there


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


def worker_queues() -> dict[str, set[str]]:
    """Each worker that answers within WORKER_TIMEOUT, with the queues it takes."""
    answers = app.control.inspect(timeout=WORKER_TIMEOUT).active_queues() or {}
    return {name: {queue["name"] for queue in queues} for name, queues in answers.items()}


def check_workers(queues: dict[str, set[str]]) -> tuple[bool, str]:
    """A worker that takes the default queue (SIMBAD, fits, releases, e-mails): TAP's own
    worker answering alone is not enough."""
    if not queues:
        return False, f"no worker answered a ping within {WORKER_TIMEOUT:g} s"
    default = app.conf.task_default_queue
    takers = sorted(name for name, taken in queues.items() if default in taken)
    if not takers:
        return False, f"no worker takes the queue {default!r}, only: {', '.join(sorted(queues))}"
    return True, "ok: " + ", ".join(takers)


def read_workers() -> tuple[tuple[bool, str], dict[str, set[str]]]:
    """The worker check and the queues each worker takes (none when eager or unreadable)."""
    if app.conf.task_always_eager:
        return (True, EAGER), {}
    try:
        queues = worker_queues()
    except Exception as exc:
        return (False, f"error: {exc.__class__.__name__}: {exc}"), {}
    return check_workers(queues), queues


def tap_workers(queues: dict[str, set[str]]) -> str:
    """Information: who runs TAP's asynchronous jobs (queue "tap"); without one they wait."""
    takers = sorted(name for name, taken in queues.items() if TAP_QUEUE in taken)
    if takers:
        return "ok: " + ", ".join(takers)
    return f"no worker takes the queue {TAP_QUEUE!r}: TAP's asynchronous jobs wait"


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
    queues: dict[str, set[str]] = {}
    if results["broker"][0]:
        results["worker"], queues = read_workers()
    else:
        results["worker"] = (False, "not asked: the broker is unreachable")
    healthy = all(ok for ok, _ in results.values())
    texts = {name: text for name, (_, text) in results.items()}
    if queues:
        texts["tap_worker"] = tap_workers(queues)
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
