"""The one backoff rule of every retrying task."""

from lib.retry import backoff_seconds


def test_the_wait_doubles_within_its_jitter():
    for retries, middle in [(0, 30), (1, 60), (4, 480)]:
        for _ in range(50):
            assert 0.75 * middle <= backoff_seconds(retries, 30) <= 1.25 * middle


def test_the_cap_holds_and_a_longer_retry_after_wins():
    assert all(backoff_seconds(30, 30, cap=100) <= 125 for _ in range(50))
    assert backoff_seconds(0, 1, retry_after=120) == 120
    assert 0.75 <= backoff_seconds(0, 1, retry_after=0.1) <= 1.25
