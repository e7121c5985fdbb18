"""The ESO archive harvest, run against the local stand-in of ESO's TAP and header services.

The headers served are the real ones of ../shared/obsportal/headers; their archive catalogue
rows (modification and release dates, titles, PIs) are INVENTED, the real ones being unknown.
Files made by ``copy_of_header`` are INVENTED copies of the real PIONIER header.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.utils import timezone

from obsportal.harvest import HarvestBusy, run_harvest, start_run
from obsportal.models import Exposure, HarvestRun
from standins.eso import copy_of_header, header_row

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::astropy.utils.exceptions.AstropyWarning"),
]
PIONIER = "PIONI.2017-12-23T05-46-54.265.primary.hdr.txt"


def header(shared_dir, name: str) -> str:
    return (shared_dir / "obsportal" / "headers" / name).read_text()


@pytest.fixture
def archive(eso, shared_dir):
    pionier = header(shared_dir, PIONIER)
    eso.add(
        header_row(
            pionier,
            "2018-01-10T12:00:00.000Z",
            release_date="2019-01-10T12:00:00.000Z",
            prog_title="INVENTED TITLE",
            pi_coi="INVENTED/ PI",
        ),
        header_row(
            header(shared_dir, "MATIS.2025-05-19T00-43-54.470.primary.hdr.txt"),
            "2025-05-20T08:00:00.000Z",
        ),
        # A product header lost DPR; the archive's row of its raw file has them.
        header_row(
            header(shared_dir, "GRAVI.2020-01-27T03-39-22.003.product-primary.hdr.txt"),
            "2020-01-28T09:00:00Z",
            dp_cat="SCIENCE",
            dp_tech="INTERFEROMETRY",
        ),
        # The archive says interferometric, the header says imaging: read, then not kept.
        header_row(
            copy_of_header(pionier, "PIONI.2018-01-01T00:00:00.001", 58119.0).replace(
                "HIERARCH ESO DPR TECH = 'INTERFEROMETRY'", "HIERARCH ESO DPR TECH = 'IMAGE'"
            ),
            "2018-01-02T00:00:00.000Z",
            dp_tech="INTERFEROMETRY",
        ),
        # An acquisition: never listed.
        header_row(
            copy_of_header(pionier, "PIONI.2018-01-01T00:00:00.002", 58119.1),
            "2018-01-02T00:00:01.000Z",
            dp_cat="ACQUISITION",
        ),
    )
    return eso


def test_a_first_harvest(archive):
    run = run_harvest(start_run("test"))
    assert run.status == HarvestRun.Status.DONE, run.error
    assert (run.total, run.done, run.created, run.updated, run.skipped) == (4, 4, 3, 0, 1)
    assert run.skipped_log == [
        "PIONI.2018-01-01T00:00:00.001: DPR.TECH is 'IMAGE', not interferometry"
    ]
    assert (run.reached_modified, run.reached_dp_id) == (
        "2025-05-20T08:00:00.000Z",
        "MATIS.2025-05-19T00:43:54.470",
    )
    assert run.percent == 100
    # Only the four listed files' headers were asked for: not SINFONI's, not the acquisition.
    assert archive.count("header") == 4
    assert archive.count("tap-count") == 1 and archive.count("tap-page") == 2
    pionier = Exposure.objects.get(header_id="PIONI.2017-12-23T05:46:54.265")
    assert (pionier.program_title, pionier.program_pi_coi) == ("INVENTED TITLE", "INVENTED/ PI")
    assert pionier.date_release == datetime.datetime(2019, 1, 10, 12, tzinfo=datetime.UTC)
    assert pionier.temperature == 13.69 and pionier.stations  # mapped like ingest_headers
    assert set(Exposure.objects.values_list("instrument", flat=True)) == {
        "PIONIER",
        "MATISSE",
        "GRAVITY",
    }


def test_the_next_harvest_reads_only_what_changed(archive, shared_dir):
    run_harvest(start_run("test"))
    before = archive.count("header")
    again = run_harvest(start_run("test"))
    assert (again.total, again.done, again.created, again.updated) == (0, 0, 0, 0)
    assert archive.count("header") == before
    assert again.since_modified == "2025-05-20T08:00:00.000Z"

    # The archive reprocessed the PIONIER file: a new modification date, a new value.
    row = next(r for r in archive.rows if r.dp_id == "PIONI.2017-12-23T05:46:54.265")
    row.last_mod_date = "2026-01-01T00:00:00.000Z"
    row.header = row.header.replace(
        "HIERARCH ESO ISS AMBI TEMP = 13.69", "HIERARCH ESO ISS AMBI TEMP = 14.00"
    )
    third = run_harvest(start_run("test"))
    assert (third.total, third.created, third.updated) == (1, 0, 1)
    assert Exposure.objects.get(header_id=row.dp_id).temperature == 14.0


def test_pages_are_committed_and_a_stopped_run_resumes_from_the_cache(eso, shared_dir, settings):
    settings.ESO_HARVEST_PAGE = 10
    pionier = header(shared_dir, PIONIER)
    rows = [
        header_row(
            copy_of_header(pionier, f"PIONI.2019-01-01T00:00:{i:02d}.000", 58484 + i / 1e3),
            f"2019-02-01T00:00:{i:02d}.000Z",
        )
        for i in range(35)
    ]
    eso.add(*rows)
    missing = rows[24]
    text, missing.header = missing.header, None  # the header service has lost this one

    stopped = run_harvest(start_run("test"))
    assert stopped.status == HarvestRun.Status.FAILED
    assert "HTTP 404 for PIONI.2019-01-01T00:00:24.000" in stopped.error
    assert "resumes after PIONI.2019-01-01T00:00:19.000" in stopped.error
    assert (stopped.done, stopped.total, stopped.percent) == (20, 35, 57)
    assert Exposure.objects.count() == 20  # two pages kept, nothing of the third

    missing.header = text
    resumed = run_harvest(start_run("test"))
    assert resumed.status == HarvestRun.Status.DONE
    assert (resumed.total, resumed.created) == (15, 15)
    assert Exposure.objects.count() == 35
    # The four headers of the third page read before the stop came from the cache.
    asked = [detail for kind, detail in eso.requests if kind == "header"]
    assert asked.count("PIONI.2019-01-01T00:00:20.000") == 1
    assert asked.count("PIONI.2019-01-01T00:00:24.000") == 2


@pytest.mark.parametrize("fault", [("503",), ("drop",), ("garbage",)])
def test_an_archive_that_fails_stops_the_run_with_the_reason(archive, fault):
    archive.inject(fault)
    run = run_harvest(start_run("test"))
    assert run.status == HarvestRun.Status.FAILED
    assert run.error.startswith("ESO TAP") and "The next run resumes" in run.error
    assert Exposure.objects.count() == 0


def test_an_unreachable_archive():
    run = run_harvest(start_run("test"))  # the closed local port of the suite
    assert run.status == HarvestRun.Status.FAILED and "ESO TAP" in run.error


def test_one_harvest_at_a_time_and_a_dead_one_is_noticed():
    first = start_run("test")
    with pytest.raises(HarvestBusy, match=f"Harvest {first.pk} is running"):
        start_run("test")
    HarvestRun.objects.filter(pk=first.pk).update(
        heartbeat=timezone.now() - datetime.timedelta(hours=2)
    )
    second = start_run("test")
    first.refresh_from_db()
    assert first.status == HarvestRun.Status.FAILED and "no sign of life" in first.error
    assert second.since_modified == first.reached_modified


def test_the_harvest_page_for_managers(archive):
    manager = User.objects.create_user("manager", password="x")
    manager.user_permissions.add(Permission.objects.get(codename="run_harvests"))
    someone = User.objects.create_user("someone", password="x")
    client = Client()
    client.force_login(someone)
    assert client.get("/harvests/").status_code == 403
    assert client.post("/harvests/start").status_code == 403
    assert HarvestRun.objects.count() == 0

    client.force_login(manager)
    response = client.post("/harvests/start", follow=True)  # eager: the run happens now
    page = response.content.decode()
    run = HarvestRun.objects.get()
    assert f"Harvest {run.pk} started." in page
    assert run.status == HarvestRun.Status.DONE and run.started_by == "manager"
    assert "4 / 4" in page and "PIONI.2018-01-01T00:00:00.001: " in page
    status = client.get(f"/harvests/{run.pk}/status.json").json()
    assert status["finished"] and status["percent"] == 100


def test_the_command(archive, capsys):
    from django.core.management import call_command

    call_command("harvest_eso", "--limit", "2", "--no-identify")
    out = capsys.readouterr().out
    # In the archive's modification order: the imaging file, then PIONIER.
    assert "2 of 2 files read: 1 exposures created, 0 updated, 1 not exposures" in out
    assert "not an exposure: PIONI.2018-01-01T00:00:00.001: DPR.TECH is 'IMAGE'" in out
    call_command("harvest_eso", "--no-identify")
    out = capsys.readouterr().out
    assert "2 of 2 files read: 2 exposures created, 0 updated, 0 not exposures" in out
    assert "reached 2025-05-20T08:00:00.000Z" in out
