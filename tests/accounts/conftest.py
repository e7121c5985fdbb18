import pytest


@pytest.fixture(autouse=True)
def fresh_counters():
    """The API's throttle counts and the "link sent a minute ago" marks live in the cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
