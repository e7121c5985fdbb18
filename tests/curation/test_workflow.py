"""The life of a submission through the real service functions, for every role."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied

from curation import services
from curation.models import AuditEntry, Submission
from jmdc.models import Measurement
from tests.builders import measurement
from tests.rows import row

State = Submission.State


def test_an_accepted_submission_becomes_catalogue_measurements(people, draft):
    services.submit(draft, actor=people.astronomer)
    services.start_review(draft, actor=people.curator)
    services.accept(draft, actor=people.curator, acknowledge_warnings=True)
    draft.refresh_from_db()
    assert draft.state == State.ACCEPTED and draft.decided_at is not None
    published = Measurement.objects.get(id1="HD124897")
    assert (published.ud_diam, published.ld_diam, published.bibcode) == (
        19.9,
        20.91,
        "2008A&A...485..561L",
    )
    assert published.submission_row.submission == draft
    assert published.history.get().history_user == people.curator
    assert list(draft.audit.values_list("action", flat=True)) == [
        "create",
        "submit",
        "start_review",
        "accept",
    ]


def test_changes_requested_go_back_to_the_author_and_return_to_the_queue(people, draft):
    services.submit(draft, actor=people.astronomer)
    services.start_review(draft, actor=people.curator)
    services.request_changes(draft, actor=people.curator, reason="Give the error of LD, not of UD.")
    assert Submission.objects.get(pk=draft.pk).state == State.CHANGES_REQUESTED
    services.replace_rows(draft, actor=people.colleague, rows=[row(E_LD_DIAM="0.05")])
    services.submit(draft, actor=people.colleague)
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED
    assert draft.rows.get().e_ld_diam == 0.05


def test_a_rejection_needs_a_reason_and_publishes_nothing(people, draft):
    services.submit(draft, actor=people.astronomer)
    services.start_review(draft, actor=people.curator)
    with pytest.raises(services.SubmissionInvalid):
        services.reject(draft, actor=people.curator, reason="  ")
    services.reject(draft, actor=people.curator, reason="Already published in 2008A&A...485..561L.")
    assert Submission.objects.get(pk=draft.pk).state == State.REJECTED
    assert not Measurement.objects.exists()


def test_a_row_with_an_error_cannot_be_submitted_and_the_error_is_named(people):
    submission = services.create_submission(
        actor=people.astronomer, rows=[row(2), row(3, BIBCODE="1997AJ....112.294D")]
    )
    with pytest.raises(services.SubmissionInvalid) as refused:
        services.submit(submission, actor=people.astronomer)
    assert refused.value.problems == [
        "row 3, column BIBCODE: '1997AJ....112.294D' has 18 characters, a bibcode has 19."
    ]
    assert Submission.objects.get(pk=submission.pk).state == State.DRAFT


def test_warnings_must_be_acknowledged_by_the_accepting_curator(people):
    submission = services.create_submission(actor=people.astronomer, rows=[row(BANDCODE="7")])
    services.submit(submission, actor=people.astronomer)
    services.start_review(submission, actor=people.curator)
    with pytest.raises(services.SubmissionInvalid) as refused:
        services.accept(submission, actor=people.curator)
    assert "BAND 'K' reads as K, but BANDCODE 7 is H" in refused.value.problems[0]
    services.accept(submission, actor=people.curator, acknowledge_warnings=True)
    entry = submission.audit.get(action="accept")
    assert entry.changes["acknowledged_warnings"] == refused.value.problems


def test_a_second_curator_accepting_the_same_submission_is_told_it_was_already_accepted(
    people, draft
):
    services.submit(draft, actor=people.astronomer)
    services.start_review(draft, actor=people.curator)
    stale = Submission.objects.get(pk=draft.pk)  # the manager's page, loaded before
    services.accept(draft, actor=people.curator, acknowledge_warnings=True)
    with pytest.raises(
        services.TransitionError,
        match=r"is accepted since cur accepted it at .*you cannot accept it now",
    ):
        services.accept(stale, actor=people.manager, acknowledge_warnings=True)
    assert Measurement.objects.count() == 1


def test_nobody_reviews_their_own_submission(people):
    own = services.create_submission(actor=people.curator, rows=[row()])
    services.submit(own, actor=people.curator)
    with pytest.raises(PermissionDenied):
        services.start_review(own, actor=people.curator)
    services.start_review(own, actor=people.manager)


def test_accepted_embargoed_rows_are_seen_by_the_group_and_curators_only(people):
    until = datetime.date.today() + datetime.timedelta(days=200)
    submission = services.create_submission(
        actor=people.astronomer, rows=[row()], group=people.group, embargo_until=until
    )
    services.submit(submission, actor=people.astronomer)
    services.start_review(submission, actor=people.curator)
    services.accept(submission, actor=people.curator, acknowledge_warnings=True)
    assert not Measurement.objects.visible_to(AnonymousUser()).exists()
    assert not Measurement.objects.visible_to(people.outsider).exists()
    assert Measurement.objects.visible_to(people.colleague).count() == 1
    assert Measurement.objects.visible_to(people.curator).count() == 1


@pytest.mark.parametrize(
    ("days", "message"), [(0, "after today"), (-3, "after today"), (4 * 365, "within 3 years")]
)
def test_an_embargo_date_out_of_range_is_refused(people, days, message):
    until = datetime.date.today() + datetime.timedelta(days=days)
    with pytest.raises(services.SubmissionInvalid) as refused:
        services.create_submission(
            actor=people.astronomer, rows=[row()], group=people.group, embargo_until=until
        )
    assert message in refused.value.problems[0]


def test_one_cannot_share_a_submission_with_a_group_one_is_not_in(people):
    with pytest.raises(PermissionDenied, match="not a member of a collaboration group named"):
        services.create_submission(actor=people.outsider, rows=[row()], group=people.group)


def test_every_transition_sends_an_email_to_the_people_concerned(
    people, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(draft, actor=people.astronomer)
    assert [m.to for m in mail.outbox] == [["cur@example.org", "man@example.org"]]
    assert "submitted" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        services.start_review(draft, actor=people.curator)
        services.request_changes(draft, actor=people.curator, reason="Which band exactly?")
    last = mail.outbox[-1]
    assert last.to == ["ada@example.org", "bob@example.org"]
    assert "Which band exactly?" in last.body
    assert f"/submissions/{draft.pk}/" in last.body


def test_a_failed_transition_sends_no_email(people, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.submit(draft, actor=people.outsider)
    assert mail.outbox == []


def test_a_curator_corrects_a_published_id1_with_a_reason_kept_in_its_history(people):
    wrong = measurement(id1="HD187076J", bibcode="2009A&A...508..923D")
    services.correct_measurements(
        [wrong.pk], actor=people.curator, changes={"id1": "HD187076"}, reason="J is a typo"
    )
    wrong.refresh_from_db()
    assert wrong.id1 == "HD187076" and wrong.star.name == "HD187076"
    latest = wrong.history.latest()
    assert (latest.history_user, latest.history_change_reason, latest.id1) == (
        people.curator,
        "J is a typo",
        "HD187076",
    )
    entry = AuditEntry.objects.get(measurement=wrong)
    assert entry.changes == {"id1": ["HD187076J", "HD187076"]}


def test_moving_nine_rows_to_another_bibcode_is_one_correction_with_nine_audit_entries(people):
    rows = [measurement(id1=f"HD{n}", band="K", bibcode="1998AJ....116..981D") for n in range(9)]
    services.correct_measurements(
        [m.pk for m in rows],
        actor=people.curator,
        changes={"bibcode": "1998A&A...331..619P"},
        reason="announced correction",
    )
    assert Measurement.objects.filter(bibcode="1998A&A...331..619P").count() == 9
    assert AuditEntry.objects.filter(action="correct").count() == 9


def test_a_correction_that_introduces_an_error_changes_nothing(people):
    row_ = measurement()
    with pytest.raises(services.SubmissionInvalid):
        services.correct_measurements(
            [row_.pk], actor=people.curator, changes={"bibcode": "1998AJ"}, reason="x"
        )
    row_.refresh_from_db()
    assert row_.bibcode == "2019Natur.567..200P"
    assert not AuditEntry.objects.exists()


def test_astronomers_cannot_correct_published_measurements(people):
    row_ = measurement()
    with pytest.raises(PermissionDenied):
        services.correct_measurements(
            [row_.pk], actor=people.astronomer, changes={"band": "H"}, reason="x"
        )


def test_submissions_are_visible_to_author_group_and_curators_only(people, draft):
    visible = {
        name: Submission.objects.visible_to(user or AnonymousUser()).filter(pk=draft.pk).exists()
        for name, user in people.all().items()
    }
    assert visible == {
        "anonymous": False,
        "astronomer": True,
        "colleague": True,
        "outsider": False,
        "curator": True,
        "manager": True,
    }
