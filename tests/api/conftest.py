"""API clients for each persona, each with a real personal token (invented people)."""

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.personas import user_of


@pytest.fixture(autouse=True)
def fresh_throttle_counters():
    from django.core.cache import cache

    cache.clear()  # throttling counts live in the cache: each test starts at zero
    yield
    cache.clear()


@pytest.fixture
def api(people):
    """``api(role)``: a client sending that persona's token (none for anonymous)."""
    keys = {}

    def client_for(role: str) -> APIClient:
        client = APIClient()
        user = user_of(people, role)
        if user is not None:
            if role not in keys:
                keys[role] = ApiToken.issue(user, f"test token of {role}")[1]
            client.credentials(HTTP_AUTHORIZATION=f"Token {keys[role]}")
        return client

    return client_for
