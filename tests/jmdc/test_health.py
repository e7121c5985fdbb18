"""`/health` tells an operator which of the database, the broker and the workers fails."""

import os

import pytest

from portal.celery import app
from tests.parts import missing_part


@pytest.fixture
def broker(settings, monkeypatch):
    """Point the portal at a broker for one test (the suite itself runs tasks eagerly)."""

    def use(url: str) -> None:
        settings.CELERY_BROKER_URL = url
        monkeypatch.setattr(app.conf, "broker_url", url)
        app.conf.task_always_eager = False
        # Celery keeps the connection pools it made for an earlier URL (other tests point
        # it at a closed port): start from none, as a fresh process does.
        monkeypatch.setattr(app, "_pool", None)
        monkeypatch.setattr(app.amqp, "_producer_pool", None)

    yield use
    app.conf.task_always_eager = True


@pytest.mark.django_db
def test_the_suites_eager_mode_is_healthy_and_says_tasks_run_in_process(client):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert (
        body["broker"]
        == body["worker"]
        == ("none: tasks run in the calling process (eager mode, the test suite's)")
    )
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_simbad_and_the_eso_archive_are_reported_without_deciding_the_status(client, simbad):
    from jmdc.tasks import probe_remote_services

    body = client.get("/health").json()
    assert body["simbad"] == "not checked yet (a worker checks every 5 minutes)"
    asked = simbad.count("capabilities")
    probe_remote_services()  # what beat runs every REMOTE_PROBE_SECONDS
    assert simbad.count("capabilities") == asked + 1
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["simbad"].startswith("reachable (checked at ")
    # The suite's ESO archive is a closed port: reported, and /health stays 200.
    assert body["eso_archive"].startswith("unreachable: ConnectionError (checked at ")
    assert body["identification"] == "nothing in progress"
    client.get("/health")
    assert simbad.count("capabilities") == asked + 1  # /health itself never asks


@pytest.mark.django_db
def test_health_counts_the_names_in_progress_by_state(client):
    from django.utils import timezone

    from jmdc.models import Star

    now = timezone.now()
    Star.objects.create(name="a", queued_at=now)
    Star.objects.create(name="b")
    Star.objects.create(name="c", asking_since=now)
    Star.objects.create(name="d", status="error", next_attempt_at=now)
    Star.objects.create(name="e", status="resolved", main_id="x")
    body = client.get("/health").json()
    assert body["identification"] == "2 queued, 1 asking SIMBAD, 1 SIMBAD unreachable"


@pytest.mark.django_db
def test_a_broker_that_is_down_is_named_and_the_worker_not_asked(client, broker):
    broker("redis://127.0.0.1:9/0")  # nothing listens on the discard port
    response = client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["database"] == "ok"
    assert body["broker"].startswith("error: ")
    assert body["worker"] == "not asked: the broker is unreachable"


@pytest.mark.django_db
def test_a_broker_without_any_worker_is_unhealthy(client, broker):
    url = os.environ.get("REDIS_URL")
    if not url:
        missing_part("REDIS_URL is not set: this test needs a Redis broker")
    # A database number no worker of the suite listens on.
    broker(url.rsplit("/", 1)[0] + "/13")
    response = client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["broker"] == "ok"
    assert body["worker"] == "no worker answered a ping within 2 s"


def test_tap_s_worker_alone_does_not_make_the_portal_healthy():
    # What the workers answered, as worker_queues() reads it from a real broadcast: TAP's worker
    # takes only its queue; SIMBAD, the fits and the releases would wait.
    from portal.health import check_workers, tap_workers

    eager, app.conf.task_always_eager = app.conf.task_always_eager, False
    try:
        tap_only = {"tap@vm": {"tap"}}
        assert check_workers(tap_only) == (
            False, "no worker takes the queue 'celery', only: tap@vm"
        )  # fmt: skip
        both = {"tap@vm": {"tap"}, "celery@vm": {"celery"}}
        assert check_workers(both) == (True, "ok: celery@vm")
        assert tap_workers(both) == "ok: tap@vm"
        assert tap_workers({"celery@vm": {"celery"}}) == (
            "no worker takes the queue 'tap': TAP's asynchronous jobs wait"
        )
    finally:
        app.conf.task_always_eager = eager
