"""Stopping the query of a job that is aborted or deleted while it runs.

Marking the job ABORTED does not stop PostgreSQL: the worker's query would run on to its
executionDuration (up to TAP_ASYNC_TIMEOUT_SECONDS), holding a worker, while its owner could
abort and submit again. So the worker names its database session after the job
(application_name) and records the session's pid on the job; an ABORT or a DELETE cancels
that pid's statement, and only while the session still carries the job's name and is
running a statement: a worker that has moved on to another job (the same session, the same
pid) is left alone.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)


def session_name(job_id: str) -> str:
    return f"tap job {job_id}"


def claim_session(job_id: str) -> tuple[int | None, str]:
    """In the worker, before the query: this session's pid, now named after the job, and the
    name it had (to give back)."""
    if connection.vendor != "postgresql":
        return None, ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_backend_pid(), current_setting('application_name'), "
            "set_config('application_name', %s, false)",
            [session_name(job_id)],
        )
        pid, previous, _ = cursor.fetchone()
    return pid, previous


def release_session(job_id: str, previous: str) -> None:
    """In the worker, once the query has ended: the job's name is taken off the session (and
    the pid off the job, which then stops counting against its owner's quota)."""
    from .models import Job

    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('application_name', %s, false)", [previous])
        Job.objects.filter(pk=job_id).update(backend_pid=None)
    except DatabaseError:  # a cancel that came as the query ended: the sweep clears the pid
        logger.warning("TAP job %s: its session could not be released", job_id, exc_info=True)


def cancel_query(job_id: str, pid: int | None) -> bool:
    """Cancel the statement the worker runs for ``job_id`` in session ``pid``, if it still
    runs one for that job. Whether a statement was cancelled."""
    if pid is None or connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        # One statement: the session is checked and signalled together, so a session that
        # finished this job and started another one is not cancelled.
        cursor.execute(
            "SELECT pg_cancel_backend(pid) FROM pg_stat_activity "
            "WHERE pid = %s AND application_name = %s AND state = 'active'",
            [pid, session_name(job_id)],
        )
        row = cursor.fetchone()
    return bool(row and row[0])
