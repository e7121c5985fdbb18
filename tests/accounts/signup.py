"""Signing up through the portal's own page in the Django test client, and the e-mail link
that proves the address (the accounts tests' way to make a person as a visitor would)."""

import re

from django.test import Client, TestCase

PASSWORD = "a long and unusual passphrase"


def committed():
    """The request's on-commit work runs (the test's transaction never commits): the e-mails
    are queued then, and the test suite runs their tasks at once."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def sign_up(client: Client, username="newcomer", email="new@example.org"):
    with committed():
        return client.post("/accounts/signup/", {
            "username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD,
        }, follow=True)  # fmt: skip


def post(client: Client, path: str, data=None, **kwargs):
    with committed():
        return client.post(path, data or {}, **kwargs)


def link_in(message) -> str:
    return re.search(r"http://127\.0\.0\.1:8000(/accounts/verify/\S+/)", message.body)[1]
