"""Brokers for tests: the portal's tasks queued to a given broker (or to none that answers),
and a real Redis for the tests that start a worker. A pytest plugin (tests/conftest.py) for
the ``redis_url`` fixture."""

import os
import time
from contextlib import contextmanager

import pytest

from tests.parts import missing_part

BROKER_DOWN = "redis://127.0.0.1:9/0"  # nothing listens on the discard port


@contextmanager
def broker_at(url: str):
    """For the block, the portal queues its tasks to the broker at ``url`` instead of running
    them eagerly; Celery's pools start anew, as in a fresh process (it keeps the connections
    it made for an earlier URL)."""
    from portal.celery import app

    saved = app.conf.task_always_eager, app.conf.broker_url, app._pool, app.amqp._producer_pool
    app.conf.task_always_eager, app.conf.broker_url = False, url
    app._pool = app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.broker_url, app._pool = saved[:3]
        app.amqp._producer_pool = saved[3]


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        missing_part("REDIS_URL is not set: the worker tests need a Redis broker")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        missing_part(f"Redis at {url} does not answer: {exc}")
    return url


def wait_for(condition, timeout=60.0) -> bool:
    """Whether ``condition()`` became true within ``timeout`` seconds (a worker's work is seen
    through the database, polled)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False
