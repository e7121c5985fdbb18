import pytest


@pytest.fixture(autouse=True)
def tap_unthrottled(settings):
    """TAP's throttle (vo/throttling.py) out of the way: taplint and pyvo send hundreds of
    queries from one address within a minute. The throttle's own tests set their rate."""
    settings.TAP_THROTTLE_RATE = "1000000/min"
