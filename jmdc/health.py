"""What `/health` checks: the database, the Celery broker and at least one worker.

Each check answers ``(healthy, text)``; the text says what was seen, so an operator reading
the JSON knows which part to look at. With no broker configured (the embedded default) tasks
run in the web process itself, and the broker and worker checks say so and pass.
"""

from django.conf import settings
from django.db import DatabaseError, connection

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


def check_broker() -> tuple[bool, str]:
    if not settings.CELERY_BROKER_URL:
        return True, "none: tasks run in the web process"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
    except Exception as exc:  # kombu raises the transport's own errors
        return False, f"error: {exc.__class__.__name__}: {exc}"
    return True, "ok"


def check_workers() -> tuple[bool, str]:
    if not settings.CELERY_BROKER_URL:
        return True, "none: tasks run in the web process"
    try:
        # limit=1: answer as soon as one worker replies, not after the whole timeout.
        replies = app.control.ping(timeout=WORKER_TIMEOUT, limit=1)
    except Exception as exc:
        return False, f"error: {exc.__class__.__name__}: {exc}"
    if not replies:
        return False, f"no worker answered a ping within {WORKER_TIMEOUT:g} s"
    return True, "ok: " + ", ".join(name for reply in replies for name in reply)


def report() -> tuple[bool, dict[str, str]]:
    """Every check, in order; the worker is not asked when the broker is unreachable."""
    results = {"database": check_database(), "broker": check_broker()}
    if results["broker"][0]:
        results["worker"] = check_workers()
    else:
        results["worker"] = (False, "not asked: the broker is unreachable")
    healthy = all(ok for ok, _ in results.values())
    return healthy, {name: text for name, (_, text) in results.items()}
