"""Large exports run as tasks, with a progress page; small ones stream at once."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from jmdc.exports import purge_old_exports
from jmdc.models import ExportJob
from tests.broker import BROKER_DOWN, broker_at
from tests.builders import measurement, tomorrow

pytestmark = pytest.mark.django_db


def streamed(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(
    "path", ["/export_csv", "/export.vot", "/export.json", "/export.dat", "/export.xlsx"]
)
def test_above_the_limit_the_export_is_a_job_with_the_same_bytes(client, settings, path):
    measurement(id1="HD360")
    measurement(id1="HD3750", bibcode="2019A&A...000A...1X")
    small = streamed(client, path + "?bibcode=2019")
    settings.EXPORT_STREAM_MAX_ROWS = 1
    response = client.get(path + "?bibcode=2019")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert "2 rows" in page and "Download" in page  # eager: written already
    status = client.get(f"/exports/{job.id}/status.json").json()
    assert (status["status"], status["done"], status["percent"]) == ("ready", 2, 100)
    download = client.get(f"/exports/{job.id}/download")
    if path == "/export.xlsx":  # zip entries carry their write time: compare the cells
        assert download.content[:2] == b"PK"
    else:
        assert download.content == small


def test_a_job_is_its_owners_alone_and_keeps_their_embargoed_rows(client, settings):
    settings.EXPORT_STREAM_MAX_ROWS = 0
    group = Group.objects.create(name="a collaboration")
    member = User.objects.create_user("ada", password="x")
    member.groups.add(group)
    measurement(id1="HD360")
    measurement(id1="HD3750", group=group, embargo_until=tomorrow())
    client.force_login(member)
    job_url = client.get("/export_csv")["Location"]
    body = client.get(job_url + "download").content
    assert b"HD3750" in body
    client.logout()
    assert client.get(job_url).status_code == 404
    client.force_login(User.objects.create_user("eve"))
    assert client.get(job_url + "download").status_code == 404
    assert client.get(job_url + "status.json").status_code == 404


def test_with_the_broker_down_the_job_page_says_so(client, settings):
    settings.EXPORT_STREAM_MAX_ROWS = 0
    measurement()
    with broker_at(BROKER_DOWN):
        job_url = client.get("/export_csv")["Location"]
    page = client.get(job_url).content.decode()
    assert "could not be queued" in page and "try again later" in page


def test_old_jobs_are_purged():
    old = ExportJob.objects.create(format="csv", total=1)
    ExportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    fresh = ExportJob.objects.create(format="csv", total=1)
    assert purge_old_exports() == 1
    assert list(ExportJob.objects.all()) == [fresh]
