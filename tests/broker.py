"""Brokers for tests: the portal's tasks queued to a given broker (or to none that answers),
and a real Redis for the tests that start a worker. A pytest plugin (tests/conftest.py) for
the ``redis_url`` fixture and the ``worker`` one (a real Celery worker process, with the
stand-ins of the services it calls)."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from standins.eso import EsoArchiveStandIn
from standins.simbad import SimbadStandIn, StandInObject
from standins.vizier import JsdcRow, VizierStandIn
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


ARCTURUS = StandInObject(
    "* alf Boo", 213.9153, 19.1824, "RG*", "K1.5III", ("* alf Boo", "HD 124897")
)  # TEST DATA
# A JSDC row for it, INVENTED (a prediction far below the row of tests/rows.py: 20.91 mas).
ARCTURUS_JSDC = JsdcRow("HD 124897", 213.9153, 19.1824, 18.0, 0.2)


@pytest.fixture
def worker(redis_url, shared_dir, tmp_path):
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    standin = SimbadStandIn([ARCTURUS], shared_dir=shared_dir / "simbad")
    standin.start()
    eso = EsoArchiveStandIn(shared_dir=shared_dir / "obsportal").__enter__()
    vizier = VizierStandIn([ARCTURUS_JSDC]).__enter__()
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": redis_url,
        "SIMBAD_TAP_URL": standin.url,
        "SIMBAD_RETRY_BASE_SECONDS": "0.2",
        "ESO_TAP_URL": eso.tap_url,
        "ESO_HEADER_URL": eso.header_url,
        "ESO_HEADER_CACHE_DIR": str(tmp_path / "eso-headers"),
        "VIZIER_URL": vizier.url,
        "DEBUG": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "solo", "--loglevel", "info", "--without-gossip", "--without-mingle"],
        cwd=settings.BASE_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        standin.eso, standin.vizier = eso, vizier
        yield standin, Celery("jmdc-test-sender", broker=redis_url, set_as_current=False)
    finally:
        process.terminate()
        process.wait(timeout=30)
        standin.stop()
        eso.__exit__()
        vizier.__exit__()
        print(log.read_text()[-4000:])  # shown by pytest when the test fails
