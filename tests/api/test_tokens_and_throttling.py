"""Personal tokens (created and revoked on the profile page, hashed at rest) and throttling."""

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_stored_hashed_works_and_is_revoked(people):
    page = Client()
    page.force_login(people.astronomer)
    created = page.post("/accounts/tokens/", {"action": "create", "name": "my pipeline"})
    key = re.search(r'<code id="new-key">([^<]+)</code>', created.content.decode()).group(1)
    assert created["Cache-Control"].startswith("max-age=0")  # never cached
    token = ApiToken.objects.get(user=people.astronomer)
    assert key.startswith("jmdc_") and key not in (token.digest, token.prefix)
    assert token.digest == ApiToken.digest_of(key) and len(token.digest) == 64
    assert key not in page.get("/accounts/tokens/").content.decode()  # shown once only

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/submissions/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    # Another user cannot revoke it; its owner can, and then it no longer works.
    other = Client()
    other.force_login(people.outsider)
    assert (
        other.post("/accounts/tokens/", {"action": "revoke", "token": token.pk}).status_code == 404
    )
    page.post("/accounts/tokens/", {"action": "revoke", "token": token.pk})
    refused = client.get("/api/v1/submissions/")
    assert refused.status_code == 401
    assert refused.json()["message"].startswith("This API token was revoked on ")


@pytest.mark.parametrize(
    "header, message",
    [
        ("Token jmdc_notarealkey", "Unknown API token"),
        ("Token", "Send the header as 'Authorization: Token <key>'"),
        ("Token a b", "Send the header as 'Authorization: Token <key>'"),
    ],
)
def test_bad_tokens_are_refused_with_the_reason(db, header, message):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/measurements/")
    assert response.status_code == 401
    assert response.json()["message"].startswith(message)


def test_the_token_page_needs_a_login(db):
    assert Client().get("/accounts/tokens/").status_code == 302


def test_throttling_per_anonymous_client_and_per_user(settings, api):
    settings.API_THROTTLE_RATES = {"anon": "3/min", "user": "5/min"}
    anonymous = api("anonymous")
    codes = [anonymous.get("/api/v1/releases/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = anonymous.get("/api/v1/releases/")
    assert 0 < int(limited["Retry-After"]) <= 60
    assert limited.json()["code"] == "throttled" and limited.json()["status"] == 429

    author = api("author")  # a user counts apart from the anonymous clients of the same IP
    assert [author.get("/api/v1/releases/").status_code for _ in range(6)] == [200] * 5 + [429]
    assert api("curator").get("/api/v1/releases/").status_code == 200  # and from other users


def test_anonymous_clients_are_held_to_the_anonymous_rate_only(settings, api):
    settings.API_THROTTLE_RATES = {"anon": "6/min", "user": "2/min"}
    anonymous = api("anonymous")
    codes = [anonymous.get("/api/v1/releases/").status_code for _ in range(7)]
    assert codes == [200] * 6 + [429]


def test_throttling_counters_are_shared_through_redis(settings, api):
    """With CACHE_URL (production), every web process counts in the same Redis."""
    import os

    from django.core.cache import caches

    from tests.parts import missing_part

    url = os.environ.get("REDIS_URL")
    if not url:
        missing_part("REDIS_URL is not set: this test needs a Redis server")
    url = url.rsplit("/", 1)[0] + "/15"  # a database of its own: clear() empties it
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": url}}  # fmt: skip
    cache = caches["default"]  # the settings fixture's change made Django open it anew

    cache.clear()
    settings.API_THROTTLE_RATES = {"anon": "2/min", "user": "5/min"}
    client = api("anonymous")
    assert [client.get("/api/v1/releases/").status_code for _ in range(3)] == [200, 200, 429]
    assert "RedisCache" in type(cache).__name__
    assert cache._cache.get_client().keys("*throttle_anon*")  # the counter is in Redis
    cache.clear()


def test_a_token_name_loses_its_control_characters_and_is_cut_to_fit(people):
    """Review of #14: the name was stored as typed, and a NUL made the page a 500 on
    PostgreSQL (no NUL in text)."""
    page = Client()
    page.force_login(people.astronomer)
    created = page.post("/accounts/tokens/", {"action": "create", "name": "my\x00 pipeline\x07"})
    assert created.status_code == 200 and "shown this once" in created.content.decode()
    page.post("/accounts/tokens/", {"action": "create", "name": "x" * 10_000})
    names = list(ApiToken.objects.values_list("name", flat=True).order_by("pk"))
    assert names == ["my pipeline", "x" * 100]


def test_a_token_name_of_control_characters_only_is_refused(people):
    page = Client()
    page.force_login(people.astronomer)
    response = page.post(
        "/accounts/tokens/", {"action": "create", "name": "\x00\x1b "}, follow=True
    )
    assert "Give the token a name (what it is for), then create it." in response.content.decode()
    assert not ApiToken.objects.exists()
