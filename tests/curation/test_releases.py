"""Cutting a release: managers only, through the service, the web action and the command."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from curation import services
from curation.models import AuditEntry
from jmdc.models import Release
from jmdc.releases import ReleaseError
from tests.broker import BROKER_DOWN, broker_at
from tests.builders import measurement, tomorrow

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(people):
    public = measurement(id1="HD360", ld_diam=0.906)
    embargoed = measurement(
        id1="HD3750", ld_diam=1.003, group=people.group, embargo_until=tomorrow()
    )
    return public, embargoed


def test_a_manager_cuts_a_release_of_the_public_rows_only(
    people, catalogue, django_capture_on_commit_callbacks
):
    public, _embargoed = catalogue
    with django_capture_on_commit_callbacks(execute=True):
        release = services.cut_release(actor=people.manager, version="2026.1", notes="yearly")
    release.refresh_from_db()
    assert release.status == "ready"  # built by the task (eager without a broker)
    assert list(release.rows.values_list("measurement_id", flat=True)) == [public.pk]
    for file in release.files.all():
        assert b"HD3750" not in bytes(file.content), file.name
    entry = AuditEntry.objects.get(action="cut_release")
    assert (entry.actor, entry.release, entry.text) == (people.manager, release, "yearly")


@pytest.mark.parametrize("who", ["astronomer", "colleague", "outsider", "curator"])
def test_nobody_but_a_manager_cuts_a_release(people, catalogue, who):
    with pytest.raises(PermissionDenied):
        services.cut_release(actor=getattr(people, who), version="2026.1")
    assert not Release.objects.exists()


@pytest.mark.parametrize("version", ["", "  ", "v 5", "../etc", "<b>5</b>", "v" * 25])
def test_a_bad_version_is_refused_with_the_reason(people, catalogue, version):
    with pytest.raises(ReleaseError, match=r"[Vv]ersion"):
        services.cut_release(actor=people.manager, version=version)
    assert not Release.objects.exists()


def test_with_the_broker_down_the_release_waits_and_a_manager_builds_it_again(
    people, catalogue, client, django_capture_on_commit_callbacks
):
    with broker_at(BROKER_DOWN), django_capture_on_commit_callbacks(execute=True):
        release = services.cut_release(actor=people.manager, version="2026.1")
    release.refresh_from_db()
    assert release.status == "building" and release.row_count == 1  # the rows are safe
    client.force_login(people.manager)
    page = client.get(release.get_absolute_url()).content.decode()
    assert "Build the files again" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/releases/{release.version}/build/", follow=True)
    assert response.redirect_chain[-1][0] == release.get_absolute_url()
    release.refresh_from_db()
    assert release.status == "ready"
    with pytest.raises(services.TransitionError, match="never change"):
        services.build_release_again(release, actor=people.manager)


def test_the_web_action_is_for_managers_and_leads_to_the_release_page(
    people, catalogue, client, django_capture_on_commit_callbacks
):
    client.force_login(people.curator)
    assert client.get("/releases/new/cut/").status_code == 403
    assert (
        client.post("/releases/new/cut/", {"version": "x", "date": "2026-11-23"}).status_code == 403
    )
    client.force_login(people.manager)
    form = client.get("/releases/new/cut/").content.decode()
    assert "freezes the 1 public measurements" in form
    with django_capture_on_commit_callbacks(execute=True):  # the build runs once committed
        response = client.post(
            "/releases/new/cut/", {"version": "2026.1", "date": "2026-11-23", "notes": "first"}
        )
    assert response["Location"] == "/releases/2026.1/"
    page = client.get(response["Location"]).content.decode()
    assert "Release 2026.1 frozen with 1 rows" in page
    assert "Download the bundle" in page and "SHA256SUMS" in page
    again = client.post("/releases/new/cut/", {"version": "2026.1", "date": "2026-11-23"})
    assert "exists already" in again.content.decode()


def test_the_command_cuts_and_builds_and_refuses_a_non_manager(people, catalogue, capsys):
    with pytest.raises(CommandError, match="Only catalogue managers"):
        call_command("cut_release", "2026.1", "--user", people.curator.username)
    call_command("cut_release", "2026.1", "--user", people.manager.username, "--date", "2026-11-23")
    out = capsys.readouterr().out
    assert "2026.1: 1 rows frozen" in out and "100% ready" in out
    assert "jmdc.dat (336 bytes)" in out
    assert Release.objects.get().date == datetime.date(2026, 11, 23)


def test_release_notes_too_long_are_a_form_error_and_nothing_is_released(
    people, catalogue, client, settings
):
    settings.FREE_TEXT_MAX_CHARS = 100
    client.force_login(people.manager)
    response = client.post(
        "/releases/new/cut/", {"version": "2026.1", "date": "2026-11-23", "notes": "n" * 101}
    )
    assert response.status_code == 200
    assert "Write at most 100 characters (this text has 101)." in response.content.decode()
    assert not Release.objects.exists()


def test_release_notes_lose_their_invisible_characters_and_the_page_says_which(
    people, catalogue, client, django_capture_on_commit_callbacks
):
    client.force_login(people.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/releases/new/cut/",
            {"version": "2026.1", "date": "2026-11-23", "notes": "first\u202e\r\nyearly"},
            follow=True,
        )
    assert (
        "Release notes: line 1: invisible characters removed: U+202E RIGHT-TO-LEFT OVERRIDE at "
        "position 6."
    ) in response.content.decode()
    assert Release.objects.get().notes == "first\nyearly"
    assert AuditEntry.objects.get(action="cut_release").text == "first\nyearly"


def test_the_command_refuses_release_notes_too_long_naming_them(people, catalogue, settings):
    settings.FREE_TEXT_MAX_CHARS = 100
    with pytest.raises(CommandError) as refused:
        call_command(
            "cut_release", "2026.1", "--user", people.manager.username, "--notes", "n" * 101
        )
    assert str(refused.value) == (
        "Release notes: Write at most 100 characters (this text has 101). Nothing was released."
    )
    assert not Release.objects.exists()
