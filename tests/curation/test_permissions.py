"""Separation of duties: nobody accepts or rejects a submission whose current rows they wrote or
edited (issue 14, defect 4), through the pages and the services."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from curation import permissions, services
from curation.models import Submission
from jmdc.models import Measurement
from tests.pages import messages_of
from tests.personas import verified_user
from tests.rows import GOOD_ROW, row

REFUSAL = (
    "You wrote or edited its current rows: another curator accepts or rejects it, "
    "so that someone else has reviewed the values before they are published."
)


@pytest.fixture
def group_curator(people):
    """A curator who is also a member of the astronomer's group (invented)."""
    user = verified_user("cora", password="pw-cora-1234")
    user.groups.add(Group.objects.get(name="curators"), people.group)
    return user


def as_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def in_review(people, submission):
    services.submit(submission, actor=people.astronomer)
    services.start_review(submission, actor=people.curator)
    submission.refresh_from_db()


def test_a_curator_who_rewrote_the_rows_cannot_accept_them_through_the_pages(
    people, draft, group_curator
):
    cora = as_client(group_curator)
    services.submit(draft, actor=people.astronomer)
    cora.post(f"/submissions/{draft.pk}/start_review/")
    cora.post(f"/submissions/{draft.pk}/request_changes/", {"text": "Which band?"})
    csv = ",".join(GOOD_ROW) + "\n" + ",".join(GOOD_ROW.values()).replace("19.9", "25.0") + "\n"
    cora.post(
        f"/submissions/{draft.pk}/replace/",
        {"file": SimpleUploadedFile("mine.csv", csv.encode())},
    )
    cora.post(f"/submissions/{draft.pk}/submit/")
    cora.post(f"/submissions/{draft.pk}/start_review/")
    assert Submission.objects.get(pk=draft.pk).state == "in_review"

    page = cora.get(f"/submissions/{draft.pk}/").content.decode()
    assert "You cannot accept or reject this submission. " + REFUSAL in page
    assert "Accept and publish" not in page and ">Reject<" not in page
    assert "Ask for changes" in page  # asking the author again is still theirs to do

    response = cora.post(
        f"/submissions/{draft.pk}/accept/", {"acknowledge_warnings": "on"}, follow=True
    )
    assert messages_of(response) == [
        f"You may not do this (accepted) on submission {draft.pk}. {REFUSAL}"
    ]
    response = cora.post(f"/submissions/{draft.pk}/reject/", {"text": "no"}, follow=True)
    assert messages_of(response) == [
        f"You may not do this (rejected) on submission {draft.pk}. {REFUSAL}"
    ]
    assert Submission.objects.get(pk=draft.pk).state == "in_review"
    assert not Measurement.objects.exists()

    # Another curator reviewed the values: they publish them.
    page = as_client(people.curator).get(f"/submissions/{draft.pk}/").content.decode()
    assert "Accept and publish" in page and "You cannot accept" not in page
    response = as_client(people.curator).post(
        f"/submissions/{draft.pk}/accept/", {"acknowledge_warnings": "on"}, follow=True
    )
    assert "Done: accepted." in messages_of(response)
    assert Measurement.objects.get().ud_diam == 25.0


def test_correcting_one_row_is_enough_to_leave_the_decision_to_another_curator(
    people, draft, group_curator
):
    services.update_row(draft, 2, actor=group_curator, row=row(E_LD_DIAM="0.08"))
    in_review(people, draft)
    assert permissions.allowed_actions(group_curator, draft) == {"request_changes", "comment"}
    with pytest.raises(PermissionDenied, match="You wrote or edited its current rows"):
        services.accept(draft, actor=group_curator, acknowledge_warnings=True)


def test_a_group_curator_who_wrote_nothing_may_accept_the_authors_rows(
    people, draft, group_curator
):
    in_review(people, draft)
    services.accept(draft, actor=group_curator, acknowledge_warnings=True)
    assert Submission.objects.get(pk=draft.pk).state == "accepted"


def test_once_the_author_replaces_every_row_the_curators_edit_is_gone_and_they_may_decide(
    people, draft, group_curator
):
    services.update_row(draft, 2, actor=group_curator, row=row(E_LD_DIAM="0.08"))
    services.replace_rows(draft, actor=people.astronomer, rows=[row(E_LD_DIAM="0.06")])
    in_review(people, draft)
    services.reject(draft, actor=group_curator, reason="Already published.")
    assert Submission.objects.get(pk=draft.pk).state == "rejected"


def test_a_colleague_who_replaced_the_rows_before_becoming_curator_cannot_decide(people, draft):
    services.replace_rows(draft, actor=people.colleague, rows=[row(E_LD_DIAM="0.06")])
    in_review(people, draft)
    people.colleague.groups.add(Group.objects.get(name="curators"))
    colleague = User.objects.get(pk=people.colleague.pk)  # permissions are cached per object
    assert "accept" not in permissions.allowed_actions(colleague, draft)
    assert "request_changes" in permissions.allowed_actions(colleague, draft)
