"""An astronomer removes a file attached to a row by mistake, on the row's OIFITS page or through
the API, while the draft is theirs to edit: the file goes from the row and from the storage, the
history says so, and the row's findings are those of the files left. A submitted row keeps its
files, and nobody else removes them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from curation import services
from curation.models import AuditEntry, OifitsFile
from tests.curation.oifits.files import HD45677, SIMULATED
from tests.curation.oifits.uploads import api_client, upload


@pytest.fixture
def two_files(
    people, achernar_draft, oifits_dir, stored_oifits, django_capture_on_commit_callbacks
):
    """Row 1 carries its own data (the simulated 2 mas disc) and, by mistake, HD 45677's."""
    with django_capture_on_commit_callbacks(execute=True):
        return services.attach_oifits(
            achernar_draft, 1, actor=people.astronomer,
            files=[upload(oifits_dir, SIMULATED, "ud2mas.fits"), upload(oifits_dir, HD45677, "wrong.fits")],
        )  # fmt: skip


def codes(submission, position=1):
    return {
        f["code"]
        for f in submission.rows.get(position=position).findings
        if f["code"].startswith("oifits_")
    }


def remove_address(submission, stored, position=1):
    return reverse("curation:remove_oifits", args=[submission.pk, position, stored.pk])


def test_the_wrong_file_is_removed_on_the_rows_page_and_the_row_is_fitted_again_without_it(
    client,
    people,
    achernar_draft,
    two_files,
    django_capture_on_commit_callbacks,
):
    own, wrong = two_files
    assert "oifits_target" in codes(achernar_draft)  # the wrong star's file says so
    client.force_login(people.astronomer)
    page = client.get(reverse("curation:row_oifits", args=[achernar_draft.pk, 1])).content.decode()
    assert remove_address(achernar_draft, wrong) in page
    assert 'aria-label="Remove wrong.fits from row 1"' in page

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(remove_address(achernar_draft, wrong), follow=True)
    text = answer.content.decode()
    assert "Removed from row 1: wrong.fits. A worker fits the 1 file left." in text
    assert list(OifitsFile.objects.values_list("name", flat=True)) == ["ud2mas.fits"]
    assert list(OifitsFile.objects.values_list("pk", flat=True)) == [own.pk]
    refitted = OifitsFile.objects.get()
    assert refitted.state == "fitted" and refitted.fit["files"] == ["ud2mas.fits"]
    assert codes(achernar_draft) == {"oifits_consistent"}  # no other star's warning left
    entry = achernar_draft.audit.filter(action=AuditEntry.Action.EDIT).latest("at")
    assert entry.actor == people.astronomer
    assert entry.changes == {"row": 1, "oifits_removed": [f"wrong.fits ({wrong.sha256[:12]})"]}


def test_removing_the_last_file_clears_the_rows_oifits_findings(
    people,
    achernar_draft,
    two_files,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        for stored in two_files:
            services.remove_oifits(achernar_draft, 1, stored.pk, actor=people.astronomer)
    assert not OifitsFile.objects.exists()
    assert codes(achernar_draft) == set()
    assert len(queued) == 1  # one fit of the file left after the first removal; none of no file


def test_a_submitted_row_keeps_its_files_and_the_page_offers_no_remove(
    client,
    people,
    achernar_draft,
    two_files,
):
    _own, wrong = two_files
    services.submit(achernar_draft, actor=people.astronomer)
    client.force_login(people.astronomer)
    page = client.get(reverse("curation:row_oifits", args=[achernar_draft.pk, 1])).content.decode()
    assert ">Remove</button>" not in page
    answer = client.post(remove_address(achernar_draft, wrong), follow=True)
    assert (
        f"wrong.fits was not removed from row 1: Submission {achernar_draft.pk} is submitted"
        in answer.content.decode()
    )
    assert "you cannot edit it now." in answer.content.decode()
    assert OifitsFile.objects.count() == 2 and OifitsFile.objects.filter(pk=wrong.pk).exists()


def test_another_user_cannot_remove_a_file(people, achernar_draft, two_files):
    _own, wrong = two_files
    with pytest.raises(PermissionDenied) as refused:
        services.remove_oifits(achernar_draft, 1, wrong.pk, actor=people.outsider)
    assert str(refused.value) == (
        f"wrong.fits was not removed from row 1: You may not do this (edited rows) on "
        f"submission {achernar_draft.pk}."
    )
    assert OifitsFile.objects.count() == 2 and OifitsFile.objects.filter(pk=wrong.pk).exists()
    client = Client()
    client.force_login(people.outsider)
    assert client.post(remove_address(achernar_draft, wrong)).status_code == 404
    assert OifitsFile.objects.count() == 2


def test_a_remove_without_the_pages_csrf_token_is_refused(people, achernar_draft, two_files):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.astronomer)
    assert client.post(remove_address(achernar_draft, two_files[1])).status_code == 403
    assert (
        OifitsFile.objects.count() == 2 and OifitsFile.objects.filter(pk=two_files[1].pk).exists()
    )
    # And a GET changes nothing.
    assert client.get(remove_address(achernar_draft, two_files[1])).status_code == 405


def test_the_api_deletes_a_rows_file_and_refuses_once_submitted(
    people,
    achernar_draft,
    two_files,
    django_capture_on_commit_callbacks,
):
    own, wrong = two_files
    client = api_client(people.astronomer)
    address = f"/api/v1/submissions/{achernar_draft.pk}/rows/1/oifits/"
    assert api_client(people.outsider).delete(f"{address}{wrong.pk}/").status_code == 404
    assert client.delete(f"{address}999999/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.delete(f"{address}{wrong.pk}/")
    assert answer.status_code == 204, answer.content
    assert [f["name"] for f in client.get(address).json()] == ["ud2mas.fits"]
    assert not OifitsFile.objects.filter(pk=wrong.pk).exists()

    services.submit(achernar_draft, actor=people.astronomer)
    refused = client.delete(f"{address}{own.pk}/")
    assert refused.status_code == 409
    assert (
        f"ud2mas.fits was not removed from row 1: Submission {achernar_draft.pk} is submitted"
        in (refused.content.decode())
    )
    assert OifitsFile.objects.filter(pk=own.pk).exists() and OifitsFile.objects.count() == 1
