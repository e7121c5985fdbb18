"""pyvo runs asynchronous TAP queries against the portal served by a live server, the jobs
run by a real Celery worker on a real Redis broker.

The worker is a separate process, so it shares the test database only on PostgreSQL (which
TAP needs anyway): these tests run on PostgreSQL, as in CI.
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection, connections
from pyvo.dal import DALQueryError, TAPService

from tests.broker import broker_at, wait_for
from tests.builders import measurement
from tests.vo.fixtures import catalogue_with_secrets
from vo.uws.models import Job, JobResult


def running(fragment: str) -> bool:
    """Whether another session of the database runs a query containing ``fragment``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
            "AND pid <> pg_backend_pid() AND query ILIKE %s",
            [f"%{fragment}%"],
        )
        return cursor.fetchone()[0] > 0


def statement_of(job_id: str) -> str | None:
    """The statement the worker's database session runs for the job, if it runs one (the
    worker names its session after the job: vo/uws/running.py)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT query FROM pg_stat_activity WHERE state = 'active' AND application_name = %s",
            [f"tap job {job_id}"],
        )
        row = cursor.fetchone()
    return row[0] if row else None


pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(redis_url, tmp_path):
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    log = tmp_path / "worker.log"
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": redis_url, "DEBUG": "1"}
    # TAP's queue only: the jobs must be routed there (CELERY_TASK_ROUTES), where their own
    # worker consumes them in production, or they would never run here.
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "solo", "--loglevel", "info", "--without-gossip", "--without-mingle", "--queues", "tap"],
        cwd=settings.BASE_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        with broker_at(redis_url):  # the live server queues its jobs to the worker's broker
            yield
    finally:
        process.terminate()
        process.wait(timeout=30)
        print(log.read_text()[-4000:])  # shown by pytest when the test fails


@pytest.fixture
def tap(live_server, worker, settings, people, monkeypatch):
    # The live server's threads close their database sessions after each request, as
    # gunicorn's would not need to: else a thread serving pyvo's kept-alive connection holds
    # one open after the test, and the test database cannot be dropped.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    settings.TAP_UWS_MAX_WAIT_SECONDS = 2  # pyvo waits with WAIT=-1, then asks again
    # Invented rows (tests/builders.py): two public measurements, one under embargo.
    measurement(id1="HD360", ld_diam=0.906, e_ld_diam=0.014, band="H")
    measurement(id1="HD 10700", ld_diam=2.015, e_ld_diam=0.011, band="K")
    from tests.builders import tomorrow

    measurement(id1="HD 4628", ld_diam=0.868, group=people.group, embargo_until=tomorrow())
    return TAPService(live_server.url + "/tap")


def test_pyvo_runs_an_async_query_and_reads_the_rows(tap):
    result = tap.run_async("SELECT id1, ld_diam, band FROM jmdc.measurements ORDER BY ld_diam DESC")
    rows = [(str(r["id1"]), float(r["ld_diam"]), str(r["band"])) for r in result]
    assert rows == [("HD 10700", 2.015, "K"), ("HD360", 0.906, "H")]
    assert not Job.objects.exists()  # run_async deletes its job once it has the result


def test_pyvo_submits_waits_and_fetches_a_job_with_maxrec(tap):
    job = tap.submit_job("SELECT id1 FROM jmdc.measurements ORDER BY id1", maxrec=1)
    assert job.phase == "PENDING"
    job.run().wait(timeout=60)
    assert job.phase == "COMPLETED"
    result = job.fetch_result()
    assert [str(r["id1"]) for r in result] == ["HD 10700"]
    assert JobResult.objects.get(job_id=job.job_id).overflow
    job.delete()
    assert not Job.objects.filter(pk=job.job_id).exists()


def test_a_refused_query_reaches_pyvo_as_a_query_error_naming_what_is_wrong(tap):
    with pytest.raises(DALQueryError, match="nowhere"):
        tap.run_async("SELECT id1 FROM jmdc.nowhere")


def test_aborting_a_job_whose_query_runs_leaves_it_aborted_and_writes_no_result(tap):
    # Four copies of TAP_SCHEMA's column list joined: seconds of work, cut at 5 by its own limit.
    slow = (
        "SELECT COUNT(*) AS n FROM TAP_SCHEMA.columns AS a, TAP_SCHEMA.columns AS b, "
        "TAP_SCHEMA.columns AS c, TAP_SCHEMA.columns AS d"
    )
    job = tap.submit_job(slow)
    job.execution_duration = 5
    job.run()
    assert wait_for(lambda: Job.objects.get(pk=job.job_id).phase == "EXECUTING", timeout=30)
    job.abort()
    assert job.phase == "ABORTED"
    # The worker ends its query (at its time limit at the latest) and keeps nothing.
    assert wait_for(lambda: not running("tap_schema"), timeout=30)
    stored = Job.objects.get(pk=job.job_id)
    assert (stored.phase, stored.error_summary) == ("ABORTED", "")
    assert not JobResult.objects.filter(job_id=job.job_id).exists()


SLOW = (  # seconds of work: four copies of TAP_SCHEMA's column list joined
    "SELECT COUNT(*) AS n FROM TAP_SCHEMA.columns AS a, TAP_SCHEMA.columns AS b, "
    "TAP_SCHEMA.columns AS c, TAP_SCHEMA.columns AS d"
)


@pytest.mark.parametrize("how", ["abort", "delete"])
def test_aborting_or_deleting_a_running_job_stops_its_query_in_the_database_at_once(tap, how):
    job = tap.submit_job(SLOW)  # it may run TAP_ASYNC_TIMEOUT_SECONDS (600 s) by its limit
    job.run()
    # The query's rows being computed (its cursor declared first, then fetched from).
    assert wait_for(lambda: (statement_of(job.job_id) or "").startswith("FETCH"), timeout=30)
    stored = Job.objects.get(pk=job.job_id)
    assert stored.phase == "EXECUTING" and stored.backend_pid is not None
    job.abort() if how == "abort" else job.delete()
    assert wait_for(lambda: statement_of(job.job_id) is None, timeout=2)
    if how == "abort":
        # Once the worker has seen its query end, the job stops counting against the quota.
        assert wait_for(lambda: Job.objects.get(pk=job.job_id).backend_pid is None, timeout=10)
        assert Job.objects.get(pk=job.job_id).phase == "ABORTED"
        assert not JobResult.objects.filter(job_id=job.job_id).exists()


@pytest.mark.parametrize(
    "query, expected",
    [
        (  # a cone with CONTAINS around Vega
            "SELECT main_id, ld_diam FROM jmdc.measurements "
            "WHERE 1 = CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 279.2347, 38.7837, 0.5))",
            [("* alf Lyr", 3.28)],
        ),
        (  # a join of the measurements and their stars
            "SELECT s.main_id, s.sp_type, m.ld_diam FROM jmdc.measurements AS m "
            "JOIN jmdc.stars AS s ON m.star_id = s.star_id WHERE s.main_id = '* alf Lyr'",
            [("* alf Lyr", "A0Va", 3.28)],
        ),
        (  # the exposures as ObsCore granules
            "SELECT obs_id, data_rights FROM ivoa.ObsCore ORDER BY obs_id",
            [("GRAVI.2026-01-01T01:00:00.000_0002", "proprietary"),
             ("PIONI.2019-03-21T03:14:15.123_0001", "public")],
        ),
    ],
    ids=["cone", "join", "obscore"],
)  # fmt: skip
def test_pyvo_runs_the_clients_queries_as_async_jobs_on_the_worker(tap, query, expected):
    catalogue_with_secrets()  # Vega placed by SIMBAD, tau Cet, an embargoed row, two exposures
    result = tap.run_async(query)
    rows = [
        tuple(v.item() if hasattr(v, "item") else str(v) for v in row) for row in result.to_table()
    ]
    assert rows == expected
