"""Two curators act on one submission at the same moment: one wins, the other is told."""

import threading

import pytest
from django.db import connection

from curation import services
from curation.models import Submission
from jmdc.models import Measurement
from tests.curation.conftest import row


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


@pytest.mark.postgresql
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


@pytest.mark.postgresql
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
