"""Two curators act on one submission at the same moment: one wins, the other is told."""

import threading

import pytest
from django.db import connection

from curation import services
from curation.models import Submission
from jmdc.models import Measurement
from tests.rows import row


def race(*actions):
    """Run the actions at the same moment in their own threads (and database connections)."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            action()
            outcomes[index] = "done"
        except services.TransitionError as exc:
            outcomes[index] = exc
        except Exception as exc:
            outcomes[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_curators_accepting_at_once_publish_the_rows_once(people):
    for attempt in range(3):  # each race on a fresh submission: who wins is chance
        submission = services.create_submission(
            actor=people.astronomer, rows=[row(2), row(3, LD_DIAM="21.0")]
        )
        services.submit(submission, actor=people.astronomer)
        services.start_review(submission, actor=people.curator)
        outcomes = race(
            lambda s=submission: services.accept(
                s, actor=people.curator, acknowledge_warnings=True
            ),
            lambda s=submission: services.accept(
                s, actor=people.manager, acknowledge_warnings=True
            ),
        )
        assert outcomes.count("done") == 1, outcomes
        loser = next(o for o in outcomes if o != "done")
        assert isinstance(loser, services.TransitionError), loser
        assert "is accepted since" in str(loser)
        assert Submission.objects.get(pk=submission.pk).state == "accepted"
        assert Measurement.objects.count() == 2 * (attempt + 1)
        assert submission.audit.filter(action="accept").count() == 1


@pytest.mark.django_db(transaction=True)
def test_accept_and_reject_at_once_leave_one_decision(people):
    submission = services.create_submission(actor=people.astronomer, rows=[row()])
    services.submit(submission, actor=people.astronomer)
    services.start_review(submission, actor=people.curator)
    outcomes = race(
        lambda: services.accept(submission, actor=people.curator, acknowledge_warnings=True),
        lambda: services.reject(submission, actor=people.manager, reason="duplicate"),
    )
    assert sorted(map(type, outcomes), key=str) == sorted([str, services.TransitionError], key=str)
    state = Submission.objects.get(pk=submission.pk).state
    assert Measurement.objects.count() == (1 if state == "accepted" else 0)


def api_client(user):
    from rest_framework.test import APIClient

    from accounts.models import ApiToken

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(user, 'race')[1]}")
    return client


def statuses(responses) -> dict[int, int]:
    counts: dict[int, int] = {}
    for response in responses:
        counts[response] = counts.get(response, 0) + 1
    return counts


def post_at_once(clients, url: str, body=None, count: int = 20):
    """``count`` POSTs of ``url`` at the same moment, each in its own thread and database
    connection (as a threaded server or several workers send them); their status codes."""
    answers: list = [None] * count

    def post(index):
        response = clients[index % len(clients)].post(url, body or {}, format="json")
        answers[index] = (response.status_code, response.json())

    outcomes = race(*[lambda i=i: post(i) for i in range(count)])
    assert outcomes == ["done"] * count, outcomes  # no exception escaped a request
    return answers


@pytest.mark.django_db(transaction=True)
def test_twenty_accepts_at_once_give_one_success_and_nineteen_conflicts(people):
    submission = services.create_submission(
        actor=people.astronomer, rows=[row(2), row(3, LD_DIAM="21.0")]
    )
    services.submit(submission, actor=people.astronomer)
    services.start_review(submission, actor=people.curator)
    clients = [api_client(people.curator), api_client(people.manager)]
    answers = post_at_once(
        clients, f"/api/v1/submissions/{submission.pk}/accept/", {"acknowledge_warnings": True}
    )
    assert statuses(code for code, _ in answers) == {200: 1, 409: 19}, answers
    for code, body in answers:
        if code == 409:
            assert body["code"] == "conflict"
            assert "is accepted since" in body["message"], body
    assert Measurement.objects.count() == 2
    assert submission.audit.filter(action="accept").count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_submits_at_once_give_one_success_and_nineteen_conflicts(people):
    submission = services.create_submission(
        actor=people.astronomer, rows=[row(2)], group=people.group
    )
    clients = [api_client(people.astronomer), api_client(people.colleague)]
    answers = post_at_once(clients, f"/api/v1/submissions/{submission.pk}/submit/")
    assert statuses(code for code, _ in answers) == {200: 1, 409: 19}, answers
    assert Submission.objects.get(pk=submission.pk).state == "submitted"
    assert submission.audit.filter(action="submit").count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_accepts_from_the_review_page_at_once_publish_once_and_tell_the_others(
    people, client
):
    from django.test import Client

    submission = services.create_submission(actor=people.astronomer, rows=[row(2)])
    services.submit(submission, actor=people.astronomer)
    services.start_review(submission, actor=people.curator)
    browsers = []
    for user in (people.curator, people.manager):
        browser = Client()
        browser.force_login(user)
        browsers.append(browser)
    answers: list = [None] * 20

    def post(index):
        response = browsers[index % 2].post(
            f"/submissions/{submission.pk}/accept/", {"acknowledge_warnings": "on"}, follow=True
        )
        answers[index] = (response.status_code, response.content.decode())

    assert race(*[lambda i=i: post(i) for i in range(20)]) == ["done"] * 20
    assert all(code == 200 for code, _ in answers), [code for code, _ in answers]
    told = [page for _, page in answers if "is accepted since" in page]
    assert len(told) == 19
    assert Measurement.objects.count() == 1
