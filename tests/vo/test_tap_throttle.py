"""A client address sending TAP queries (or creating async jobs) faster than the service's
rate is told to wait, in a VOTable error with HTTP 429 and Retry-After; another address is
not. On SQLite too: the throttle comes before TAP's PostgreSQL check."""

import pytest

pytestmark = pytest.mark.django_db

QUERY = {"LANG": "ADQL", "QUERY": "SELECT TOP 1 id1 FROM jmdc.measurements"}


@pytest.fixture
def two_a_minute(settings):
    from django.core.cache import cache

    cache.clear()
    settings.TAP_THROTTLE_RATE = "2/min"


def test_a_third_sync_query_in_a_minute_is_refused_with_429_and_when_to_retry(client, two_a_minute):
    assert [client.get("/tap/sync", QUERY).status_code for _ in range(2)] == [200, 200]
    refused = client.get("/tap/sync", QUERY)
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/x-votable+xml")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert b'value="ERROR"' in refused.content
    assert b"Too many TAP queries from your address: at most 2 every 60 seconds." in refused.content
    assert client.get("/tap/sync", QUERY, REMOTE_ADDR="192.0.2.9").status_code == 200


def test_creating_async_jobs_is_counted_with_sync_queries_and_reading_the_list_is_not(
    client, two_a_minute
):
    client.post("/tap/sync", QUERY)
    client.post("/tap/async", QUERY)
    assert client.post("/tap/async", QUERY).status_code == 429
    assert client.get("/tap/async").status_code != 429
