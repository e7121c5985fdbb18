"""Digits that are not ASCII ("²", "①": str.isdigit() says yes, int() says no) are refused
like any other bad number, never a 500 (issue 14, limits that hold)."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from lib.numbers import whole_number

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle_counters():
    from django.core.cache import cache

    cache.clear()  # the API's anonymous throttle counts in the cache: start and end at zero
    yield
    cache.clear()


NOT_ASCII_DIGITS = ["²", "①", "٣", "１"]
NOT_IDS = [*NOT_ASCII_DIGITS, "0", "9223372036854775808", "99999999999999999999"]


@pytest.mark.parametrize("text", [*NOT_ASCII_DIGITS, "", " 1", "-1", "1.0", "+2"])
def test_only_ascii_digits_make_a_whole_number(text):
    assert whole_number(text) is None


def test_ascii_digits_make_a_whole_number():
    assert whole_number("0") == 0
    assert whole_number("0042") == 42


@pytest.mark.parametrize("text", NOT_ASCII_DIGITS)
def test_an_api_page_size_in_other_digits_is_a_400_naming_the_field(client, text):
    response = client.get("/api/v1/measurements/", {"page_size": text})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "page_size"


@pytest.mark.parametrize("text", NOT_IDS)
def test_a_star_chosen_in_other_digits_on_the_curators_page_is_ignored(text):
    curator = User.objects.create_user("cur")
    curator.groups.add(Group.objects.get(name="curators"))
    client = Client()
    client.force_login(curator)
    response = client.post("/review/stars/", {"star": text, "retry": "1"}, follow=True)
    assert response.status_code == 200
    assert "SIMBAD will be asked again about 0 star(s)." in response.content.decode()


@pytest.mark.parametrize("text", NOT_IDS)
def test_revoking_a_token_named_in_other_digits_is_a_404(text):
    client = Client()
    client.force_login(User.objects.create_user("ada"))
    response = client.post("/accounts/tokens/", {"action": "revoke", "token": text})
    assert response.status_code == 404
