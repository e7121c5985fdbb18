"""Queueing background work so that a broker that is down never fails the caller."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def try_enqueue(task, *args, what: str) -> Exception | None:
    """Queue a Celery task (run it, in eager mode). With the broker down, log it and return
    the error rather than fail the caller: what the task works on is already committed, and is
    picked up again (by a sweep, or by a person told so on a page)."""
    try:
        task.delay(*args)
    except Exception as exc:  # kombu raises the transport's own errors
        logger.warning("could not queue %s (%s)", what, exc)
        return exc
    return None
