"""Side effects never break a committed transition (issue 14, defect 5), and the free texts
people write have a length that holds (defect 10): through the pages and the API."""

import logging

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from curation.models import Submission
from jmdc.models import Measurement
from tests.broker import BROKER_DOWN, broker_at
from tests.pages import messages_of
from tests.rows import GOOD, HEADER, form_data

LEGACY_TITLE = "PIONIER giants\nsecond line\r\nthird"


def as_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_legacy_title_with_line_breaks_does_not_stop_any_transition_nor_its_email(
    people, draft, django_capture_on_commit_callbacks
):
    # Saved before titles were checked: the database still holds such titles.
    Submission.objects.filter(pk=draft.pk).update(title=LEGACY_TITLE)
    author, curator = as_client(people.astronomer), as_client(people.curator)
    url = f"/submissions/{draft.pk}"
    steps = [
        (author, "submit", {}, "Done: submitted."),
        (curator, "start_review", {}, "Done: started the review."),
        (curator, "request_changes", {"text": "Which band?"}, "Done: asked for changes."),
        (author, "submit", {}, "Done: submitted."),
        (author, "withdraw", {}, "Done: withdrew."),
        (author, "submit", {}, "Done: submitted."),
        (curator, "start_review", {}, "Done: started the review."),
        (author, "comment", {"text": "It is K."}, "Done: commented."),
        (curator, "accept", {"acknowledge_warnings": "on"}, "Done: accepted."),
    ]
    for client, action, data, said in steps:
        sent = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"{url}/{action}/", data, follow=True)
        assert response.status_code == 200, action
        assert said in messages_of(response), (action, messages_of(response))
        assert len(mail.outbox) == sent + 1, action
        subject = mail.outbox[-1].subject
        assert "\n" not in subject and "\r" not in subject
        assert subject.startswith("[JMDC] PIONIER giants second line third: ")
    assert Submission.objects.get(pk=draft.pk).state == "accepted"
    assert Measurement.objects.count() == 1
    assert "PIONIER giants" in author.get(f"{url}/").content.decode()


def test_a_mail_server_that_is_down_is_logged_and_the_transition_stands(
    people, draft, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False
    with (
        caplog.at_level(logging.ERROR, logger="curation.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = as_client(people.astronomer).post(
            f"/submissions/{draft.pk}/submit/", follow=True
        )
    assert response.status_code == 200
    assert "Done: submitted." in messages_of(response)
    assert Submission.objects.get(pk=draft.pk).state == "submitted"
    assert f"could not send the e-mail about submission {draft.pk} (submit), given up" in (
        caplog.text
    )


def test_a_broker_that_is_down_when_the_email_is_queued_is_logged_not_a_500(
    people, draft, caplog, django_capture_on_commit_callbacks
):
    with (
        broker_at(BROKER_DOWN),
        caplog.at_level(logging.WARNING, logger="lib.enqueue"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = as_client(people.astronomer).post(
            f"/submissions/{draft.pk}/submit/", follow=True
        )
    assert response.status_code == 200 and "Done: submitted." in messages_of(response)
    assert Submission.objects.get(pk=draft.pk).state == "submitted"
    assert f"could not queue the e-mail about submission {draft.pk} (submit)" in caplog.text


@pytest.mark.parametrize(
    "title", ["first line\nsecond line", "a title\r\nwith a CRLF", "tab\tand\u2028separator"]
)
def test_the_form_refuses_a_title_of_more_than_one_line(client, people, title):
    client.force_login(people.astronomer)
    response = client.post("/submissions/new/", form_data(title=title))
    assert response.status_code == 200
    assert response.context["form"].errors["title"][0].startswith("A title is one line: remove ")
    assert "A title is one line: remove" in response.content.decode()
    assert not Submission.objects.exists()


def test_the_upload_form_refuses_a_title_with_a_line_break(client, people):
    client.force_login(people.astronomer)
    response = client.post(
        "/submissions/upload/",
        {"file": SimpleUploadedFile("b.csv", (HEADER + GOOD).encode()), "title": "one\ntwo"},
    )
    assert response.context["form"].errors["title"] == [
        "A title is one line: remove a line break (character 4)."
    ]
    assert not Submission.objects.exists()


def test_a_comment_longer_than_the_limit_is_refused_on_the_page_naming_the_field(
    people, draft, settings
):
    settings.FREE_TEXT_MAX_CHARS = 5000
    author = as_client(people.astronomer)
    response = author.post(f"/submissions/{draft.pk}/comment/", {"text": "x" * 5001}, follow=True)
    assert messages_of(response) == [
        "Reason or comment: Write at most 5000 characters (this text has 5001)."
    ]
    assert not draft.audit.filter(action="comment").exists()


def test_a_correction_reason_longer_than_the_limit_is_a_form_error(client, people, settings):
    from tests.builders import measurement

    settings.FREE_TEXT_MAX_CHARS = 100
    published = measurement()
    client.force_login(people.curator)
    data = {name: getattr(published, attr) or "" for name, attr in [
        ("ID1", "id1"), ("ID2", "id2"), ("UD_DIAM", "ud_diam"), ("LD_DIAM", "ld_diam"),
        ("E_LD_DIAM", "e_ld_diam"), ("BAND", "band"), ("MU_LAMBDA", "mu_lambda"),
        ("METHOD", "method"), ("BANDCODE", "bandcode"), ("NOTES", "notes"), ("BIBCODE", "bibcode"),
    ]}  # fmt: skip
    response = client.post(
        f"/measurement/{published.pk}/correct/", {**data, "BAND": "K", "reason": "r" * 101}
    )
    assert response.status_code == 200
    assert response.context["reason_form"].errors["reason"] == [
        "Write at most 100 characters (this text has 101)."
    ]
    assert "Write at most 100 characters (this text has 101)." in response.content.decode()


def test_the_forms_answer_the_same_for_an_unknown_group_and_another_groups(client, people):
    """Group names cannot be enumerated from the pages either (issue 14, defect 8)."""
    from django.contrib.auth.models import Group

    client.force_login(people.outsider)
    answers = set()
    for group_id in (people.group.pk, Group.objects.get(name="curators").pk, 987654):
        for url, extra in [
            ("/submissions/new/", form_data()),
            (
                "/submissions/upload/",
                {"file": SimpleUploadedFile("b.csv", (HEADER + GOOD).encode())},
            ),
        ]:
            response = client.post(url, {**extra, "group": group_id})
            assert response.status_code == 200
            answers.add(tuple(response.context["form"].errors["group"]))
    assert answers == {("Select a valid choice. That choice is not one of the available choices.",)}
    assert not Submission.objects.exists()


def test_the_form_refuses_a_title_with_an_invisible_character_naming_it(client, people):
    client.force_login(people.astronomer)
    response = client.post("/submissions/new/", form_data(title="Giants \u202egnal"))
    assert response.context["form"].errors["title"] == [
        "The title holds U+202E RIGHT-TO-LEFT OVERRIDE at position 8: remove it."
    ]
    assert not Submission.objects.exists()


def test_a_comment_keeps_its_lines_and_loses_its_invisible_characters_saying_so(people, draft):
    author = as_client(people.astronomer)
    response = author.post(
        f"/submissions/{draft.pk}/comment/",
        {"text": "First line\r\nsecond \u202eline\u200b"},
        follow=True,
    )
    assert messages_of(response) == [
        "Reason or comment: line 2: invisible characters removed: U+202E RIGHT-TO-LEFT "
        "OVERRIDE at position 8, U+200B ZERO WIDTH SPACE at position 13.",
        "Done: commented.",
    ]
    assert draft.audit.get(action="comment").text == "First line\nsecond line"


def test_an_email_sent_late_describes_its_own_event_not_a_later_one(people, draft):
    """A mail server that was down delays an e-mail by minutes: the retried e-mail still tells
    what happened then (it is written from its audit entry)."""
    from curation import notifications, services

    services.submit(draft, actor=people.astronomer)
    submitted = draft.audit.get(action="submit")
    services.start_review(draft, actor=people.curator)
    services.request_changes(draft, actor=people.curator, reason="Which band?")
    message = notifications.transition_message(submitted.pk)
    assert message.subject.endswith(": submitted")
    assert f"ada submitted submission {draft.pk}" in message.body
    assert "Its state became: submitted." in message.body
    assert "Which band?" not in message.body


def test_a_curator_by_a_permission_given_to_them_directly_is_told_of_a_submission(people, draft):
    """Who is a curator has one definition: a permission given to a user directly counts as
    one given through the curators' group, for the e-mail as for the review queue."""
    from django.contrib.auth.models import Permission

    from curation import notifications, services
    from curation.models import is_curator
    from tests.personas import verified_user

    helper = verified_user("hal", "hal@example.org", "pw-hal-1234")
    helper.user_permissions.add(Permission.objects.get(codename="review_submission"))
    helper = type(helper).objects.get(pk=helper.pk)  # a fresh permission cache
    assert is_curator(helper)
    services.submit(draft, actor=people.astronomer)
    message = notifications.transition_message(draft.audit.get(action="submit").pk)
    assert "hal@example.org" in message.to
    assert "cur@example.org" in message.to
