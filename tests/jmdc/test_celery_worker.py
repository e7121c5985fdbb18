"""A real Celery worker on a real Redis broker resolves stars, retrying through a fault.

The worker is a separate process, so it shares the test database only on PostgreSQL
(SQLite's test database lives in memory): the test runs on PostgreSQL, as in CI.
"""

import pytest

from jmdc.models import Star
from standins.eso import header_row
from standins.simbad import StandInObject
from tests.broker import broker_at, wait_for
from tests.builders import measurement


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_worker_resolves_stars_and_retries_through_a_simbad_outage(worker):
    standin, sender = worker
    measurement(id1="alf Boo", ud_diam=20.0, ld_diam=None)
    star = Star.objects.get()
    standin.inject(("503",))  # the worker's first SIMBAD request fails
    sender.send_task("jmdc.tasks.resolve_stars_task", args=[[star.pk]])
    assert wait_for(lambda: Star.objects.get(pk=star.pk).status == "resolved"), [
        (r.kind, r.names) for r in standin.requests
    ]
    star.refresh_from_db()
    assert star.simbad_id1 == "HD124897"
    assert [r.kind for r in standin.requests].count("fault:503") == 1
    assert standin.count("batch") == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_worker_builds_a_release_and_the_page_follows_its_progress(worker, client):
    from jmdc.models import Release
    from jmdc.releases import freeze

    _, sender = worker
    measurement(id1="HD360", ld_diam=0.906)
    release = freeze([(None, (
        "HD360", "", None, 0.906, 0.014, "H", None, 1, 7, "", "2019Natur.567..200P", False,
    ))], version="2026.1", date=__import__("datetime").date(2026, 11, 23))  # fmt: skip
    page = client.get(release.get_absolute_url()).content.decode()
    assert "The files are being written" in page
    sender.send_task("jmdc.tasks.build_release_task", args=[release.pk])
    assert wait_for(lambda: Release.objects.get(pk=release.pk).status == "ready")
    status = client.get(f"/releases/{release.version}/status.json").json()
    assert (status["status"], status["progress"]) == ("ready", 100)
    assert client.get(f"/releases/{release.version}/files/jmdc.dat").content.startswith(b"HD360")


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_worker_harvests_the_archive_then_identifies_the_targets(worker, shared_dir):
    from obsportal.models import Exposure, HarvestRun

    simbad, sender = worker
    header = shared_dir / "obsportal/headers/PIONI.2017-12-23T05-46-54.265.primary.hdr.txt"
    # INVENTED: the archive row's date, and a SIMBAD object placed at the header's pointing.
    simbad.eso.add(header_row(header.read_text(), "2018-01-10T12:00:00.000Z"))
    simbad.add(StandInObject("TEST HD 45677", 97.072598, -13.05309, identifiers=("HD45677",)))
    sender.send_task("obsportal.tasks.scheduled_harvest")
    assert wait_for(lambda: HarvestRun.objects.filter(status="done").exists())
    assert wait_for(lambda: Exposure.objects.filter(star__isnull=False).exists())
    exposure = Exposure.objects.get()
    assert (exposure.header_id, exposure.star.main_id) == (
        "PIONI.2017-12-23T05:46:54.265",
        "TEST HD 45677",
    )
    assert simbad.eso.count("header") == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_worker_identifies_a_submitted_star_and_checks_the_row_against_its_prediction(
    worker, people, redis_url
):
    from curation import services
    from curation.models import SubmissionRow
    from tests.rows import row

    simbad, _ = worker
    submission = services.create_submission(actor=people.astronomer, rows=[row()])
    with broker_at(redis_url):  # submitting queues the identification for the worker
        services.submit(submission, actor=people.astronomer)

    def codes() -> list[str]:
        return [f["code"] for f in SubmissionRow.objects.get(submission=submission).findings]

    assert wait_for(lambda: "far_from_prediction" in codes()), (codes(), simbad.vizier.requests)
    star = Star.objects.get(name="HD124897")
    assert (star.status, star.main_id) == ("resolved", "* alf Boo")
    assert (simbad.count("batch"), simbad.vizier.count()) == (1, 1)
