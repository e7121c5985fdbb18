"""Write paths closed (issue 15): every write goes through a service, with its lock and audit.

A submission is never deleted (its audit would go with it); asking SIMBAD again is audited, from
the curators' page and from the Star admin; merged stars' measurements say in their history
where they went; a token is revoked once, by ``ApiToken.revoke``. TEST DATA throughout."""

import html
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.db.models import ProtectedError
from django.test import Client

from accounts.models import ApiToken
from curation import services
from curation.models import AuditEntry, Submission
from jmdc.identification import resolve_stars
from jmdc.models import Measurement, Star
from standins.simbad import StandInObject
from tests.builders import measurement

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()))


@pytest.fixture
def root():
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw"))
    return client


def test_a_submission_cannot_be_deleted_in_the_admin_and_keeps_its_audit(root, draft):
    changelist = root.get("/admin/curation/submission/")
    assert changelist.status_code == 200 and "alf Boo in K" in changelist.content.decode()
    assert "delete_selected" not in changelist.content.decode()
    assert (
        root.post(f"/admin/curation/submission/{draft.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    root.post(
        "/admin/curation/submission/",
        {"action": "delete_selected", "_selected_action": [draft.pk], "post": "yes"},
    )
    assert Submission.objects.filter(pk=draft.pk).exists()
    # Nor by code: the database keeps the audit of a submission (it was CASCADE).
    with pytest.raises(ProtectedError):
        Submission.objects.filter(pk=draft.pk).delete()
    assert AuditEntry.objects.filter(submission=draft, action="create").exists()


def test_asking_simbad_again_from_the_curators_page_is_audited_star_by_star(
    client, people, django_capture_on_commit_callbacks
):
    lost = Star.objects.create(name="TEST lost", status="not_found")
    twin = Star.objects.create(name="TEST twin", status="ambiguous")
    settled = Star.objects.create(name="TEST settled", status="resolved", main_id="TEST settled")
    client.force_login(people.curator)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            "/review/stars/", {"star": [lost.pk, twin.pk, settled.pk], "retry": "1"}, follow=True
        )
    assert "SIMBAD will be asked again about 2 star(s)." in text_of(response)
    assert len(queued) == 1  # the resolution task, queued once the transaction is committed
    entries = AuditEntry.objects.filter(action="retry_identification").order_by("star__name")
    assert [(e.actor, e.star, e.changes["before"]) for e in entries] == [
        (people.curator, lost, {"status": "not_found"}),
        (people.curator, twin, {"status": "ambiguous"}),
    ]
    assert set(Star.objects.values_list("name", "status")) == {
        ("TEST lost", "pending"), ("TEST twin", "pending"), ("TEST settled", "resolved"),
    }  # fmt: skip


def test_the_star_admin_asks_simbad_again_through_the_service(root, people):
    lost = Star.objects.create(name="TEST lost", status="not_found")
    settled = Star.objects.create(name="TEST settled", status="resolved", main_id="TEST settled")
    assert "Ask SIMBAD again" in root.get("/admin/jmdc/star/").content.decode()
    response = root.post(
        "/admin/jmdc/star/",
        {"action": "ask_simbad_again", "_selected_action": [lost.pk, settled.pk]},
        follow=True,
    )
    assert (
        "SIMBAD will be asked again about 1 star(s). 1 already identified: left as they are."
        in text_of(response)
    )
    entry = AuditEntry.objects.get(action="retry_identification")
    assert (entry.actor.username, entry.star, Star.objects.get(pk=lost.pk).status) == (
        "root", lost, "pending",
    )  # fmt: skip
    # Staff who are not curators see the stars, without the action.
    staff = User.objects.create_user("clerk", "clerk@example.org", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_star"))
    clerk = Client()
    clerk.force_login(staff)
    page = clerk.get("/admin/jmdc/star/")
    assert page.status_code == 200 and "Ask SIMBAD again" not in page.content.decode()


ARCTURUS = StandInObject(
    "* alf Boo", 213.9153, 19.1824, "RG*", "K1.5III", ("* alf Boo", "NAME Arcturus", "HD 124897")
)


def test_a_measurement_moved_by_a_merge_says_so_in_its_history(client, simbad):
    simbad.add(ARCTURUS)
    measurement(id1="alf Boo", ld_diam=20.9)
    moved = measurement(id1="Arcturus", ld_diam=21.0)
    assert resolve_stars(Star.objects.values_list("pk", flat=True)).merged == 1
    keeper = Star.objects.get()
    assert Measurement.objects.get(pk=moved.pk).star == keeper
    page = text_of(client.get(f"/measurement/{moved.pk}/"))
    assert "moved to star alf Boo: same SIMBAD object (* alf Boo) as Arcturus" in page
    assert moved.history.count() == 2


def test_a_measurement_moved_by_a_curators_identification_names_the_curator(client, people, simbad):
    simbad.add(StandInObject("TEST twin A", 1.0, 1.0, identifiers=("twin", "HD 1001")))
    simbad.add(StandInObject("TEST twin B", 1.1, 1.1, identifiers=("twin", "HD 1002")))
    measurement(id1="HD 1002")
    resolve_stars(Star.objects.values_list("pk", flat=True))
    moved = measurement(id1="twin")
    Star.objects.filter(name="twin").update(status="ambiguous")
    twin = Star.objects.get(name="twin")
    services.identify_star(twin, actor=people.curator, identifier="HD 1002", reason="B it is")
    latest = Measurement.objects.get(pk=moved.pk).history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        people.curator,
        "moved to star HD 1002: same SIMBAD object (TEST twin B) as twin",
    )


def test_a_token_is_revoked_once(people):
    token, _ = ApiToken.issue(people.astronomer, "laptop")
    assert token.revoke() is True
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    assert first is not None and not ApiToken.objects.get(pk=token.pk).active
    assert ApiToken.objects.get(pk=token.pk).revoke() is False
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
