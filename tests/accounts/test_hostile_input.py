"""Every field of the accounts pages, given what no keyboard types (a NUL, a lone surrogate,
10,000 characters), answers with the page and its error, never a server error: PostgreSQL
refuses a NUL in text, and an unchecked value would reach it (review of issue #14)."""

from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.test import Client, TestCase

from tests.personas import verified_user

PASSWORD = "a long and unusual passphrase"
SIGN_UP = {
    "username": "newcomer", "email": "new@example.org", "first_name": "New",
    "last_name": "Comer", "password1": PASSWORD, "password2": PASSWORD,
}  # fmt: skip
# A browser cannot send a lone surrogate: a script sends its bytes as UTF-8 would spell it
# ("surrogatepass"), which the server decodes with replacement characters.
HOSTILE = {
    "NUL": "ada\x00x",
    "lone surrogate": "ada\ud800x",
    "10,000 characters": "a" * 10_000,
}
PAGES = [
    ("/accounts/signup/", SIGN_UP, name, False)
    for name in ("username", "email", "first_name", "last_name", "password1", "password2")
] + [
    ("/accounts/password_reset/", {"email": "ada@example.org"}, "email", False),
    ("/accounts/login/", {"username": "ada", "password": PASSWORD}, "username", False),
    ("/accounts/login/", {"username": "ada", "password": PASSWORD}, "password", False),
    ("/accounts/verify/resend/", {"next": "/submissions/"}, "next", True),
    ("/accounts/tokens/", {"action": "create", "name": "my pipeline"}, "name", True),
]


def form_body(data: dict) -> str:
    return "&".join(
        f"{quote(key)}={quote(value.encode('utf-8', 'surrogatepass'))}"
        for key, value in data.items()
    )


@pytest.mark.parametrize("kind", HOSTILE)
@pytest.mark.parametrize(("path", "data", "field", "logged_in"), PAGES)
def test_no_field_of_the_accounts_pages_turns_a_strange_value_into_a_500(
    db, path, data, field, logged_in, kind
):
    ada = verified_user("ada", "ada@example.org", PASSWORD)
    client = Client(raise_request_exception=False)
    if logged_in:
        client.force_login(ada)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            path, form_body({**data, field: HOSTILE[kind]}),
            content_type="application/x-www-form-urlencoded",
        )  # fmt: skip
    assert response.status_code in (200, 302), response.content.decode()[:500]
    assert not User.objects.filter(username__startswith="ada").exclude(pk=ada.pk).exists()
