"""One client address, from configuration: X-Forwarded-For believed only as far as our own
proxies (defect 3)."""

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from accounts.client_address import client_address


def address(settings, proxies: int, forwarded: str | None, remote="10.0.0.2") -> str:
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    assert address(settings, 0, "192.0.2.1") == "10.0.0.2"
    assert address(settings, 0, None) == "10.0.0.2"


def test_behind_one_proxy_the_right_most_entry_is_the_client(settings):
    assert address(settings, 1, "192.0.2.1") == "192.0.2.1"
    # the client wrote the left part itself; our proxy appended the address it saw
    assert address(settings, 1, "6.6.6.6, 192.0.2.1") == "192.0.2.1"


def test_behind_two_proxies_the_second_entry_from_the_right(settings):
    assert address(settings, 2, "6.6.6.6, 192.0.2.1, 10.0.0.1") == "192.0.2.1"


def test_a_request_that_did_not_pass_the_proxies_or_carries_no_address_is_remote_addr(settings):
    assert address(settings, 1, None) == "10.0.0.2"  # /health probed from inside the host
    assert address(settings, 2, "192.0.2.1") == "10.0.0.2"
    assert address(settings, 1, "not-an-address") == "10.0.0.2"


@pytest.fixture
def three_a_minute(settings, db):
    settings.API_THROTTLE_RATES = {"anon": "3/min", "user": "1200/min"}


def test_a_made_up_forwarded_for_does_not_escape_the_api_throttle(settings, three_a_minute):
    settings.TRUSTED_PROXY_COUNT = 0
    client = APIClient()
    codes = [
        client.get("/api/v1/releases/", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]


def test_behind_the_proxy_each_client_has_its_own_count(settings, three_a_minute):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = APIClient(REMOTE_ADDR="127.0.0.1")
    codes = [
        proxy.get("/api/v1/releases/", HTTP_X_FORWARDED_FOR=f"{n}.{n}.{n}.{n}, 192.0.2.1")
        for n in range(4)
    ]
    assert [response.status_code for response in codes] == [200, 200, 200, 429]
    other = proxy.get("/api/v1/releases/", HTTP_X_FORWARDED_FOR="192.0.2.2")
    assert other.status_code == 200
