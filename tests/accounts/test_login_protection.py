"""Guessing passwords: after a few wrong ones, the account and the address wait (defect 2)."""

import datetime
import time

import pytest
from django.test import Client

from tests.personas import verified_user

PASSWORD = "the right long passphrase"


@pytest.fixture
def ada(db):
    return verified_user("ada", "ada@example.org", PASSWORD)


def log_in(client: Client, username: str, password: str, path="/accounts/login/", **headers):
    return client.post(path, {"username": username, "password": password}, **headers)


def test_the_fifth_wrong_password_pauses_the_account_even_for_the_right_one(ada):
    client = Client()
    for _ in range(4):
        response = log_in(client, "ada", "wrong guess")
        assert response.status_code == 200  # the login page again, with its error
        assert "Please enter a correct username and password" in response.content.decode()
    assert log_in(client, "ada", "wrong guess").status_code == 429
    response = log_in(client, "ada", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed log-ins" in page
    assert "After 5 wrong passwords for this account, or from your address" in page
    assert "Wait 15 minutes, then try again." in page
    assert "_auth_user_id" not in client.session


def test_the_account_is_locked_from_every_address(ada):
    for number in range(5):
        log_in(Client(REMOTE_ADDR=f"198.51.100.{number}"), "ada", "wrong guess")
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    assert log_in(elsewhere, "ada", PASSWORD).status_code == 429


def test_one_address_guessing_many_accounts_is_locked_and_others_are_not(db):
    for name in ("bob", "cy", "dee", "eli", "fay"):
        verified_user(name, password=PASSWORD)
        log_in(Client(REMOTE_ADDR="198.51.100.7"), name, "wrong guess")
    verified_user("gus", password=PASSWORD)
    assert log_in(Client(REMOTE_ADDR="198.51.100.7"), "gus", PASSWORD).status_code == 429
    response = log_in(Client(REMOTE_ADDR="203.0.113.9"), "gus", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/submissions/"


def test_a_made_up_forwarded_for_does_not_make_a_new_address(ada, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for number in range(5):
        log_in(Client(), f"nobody{number}", "guess", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    verified_user("bob", password=PASSWORD)
    response = log_in(Client(), "bob", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert response.status_code == 429


def test_the_admin_login_is_protected_too(db):
    admin = verified_user("root", password=PASSWORD)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    for _ in range(4):
        assert log_in(client, "root", "wrong guess", path="/admin/login/").status_code == 200
    assert log_in(client, "root", "wrong guess", path="/admin/login/").status_code == 429
    response = log_in(client, "root", PASSWORD, path="/admin/login/")
    assert response.status_code == 429
    assert "Wait 15 minutes, then try again." in response.content.decode()


def test_after_the_cool_off_the_right_password_works_again(ada, settings):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(seconds=1)
    client = Client()
    for _ in range(5):
        log_in(client, "ada", "wrong guess")
    assert log_in(client, "ada", PASSWORD).status_code == 429
    time.sleep(1.2)
    response = log_in(client, "ada", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/submissions/"


def test_a_success_forgets_that_accounts_earlier_failures(ada):
    client = Client()
    for _ in range(4):
        log_in(client, "ada", "wrong guess")
    assert log_in(client, "ada", PASSWORD).status_code == 302
    for _ in range(4):
        assert log_in(Client(), "ada", "wrong guess").status_code == 200
    assert log_in(Client(), "ada", PASSWORD).status_code == 302


def test_logging_into_ones_own_account_does_not_forget_the_guesses_at_another(ada):
    """Mallory guesses at Ada's password, logs into her own account between rounds: the
    guesses at Ada still count, for Ada and for Mallory's address."""
    verified_user("mallory", password="mallory's own passphrase")
    mallory = Client(REMOTE_ADDR="198.51.100.66")
    for _ in range(4):
        assert log_in(mallory, "ada", "wrong guess").status_code == 200
    assert log_in(mallory, "mallory", "mallory's own passphrase").status_code == 302
    assert log_in(mallory, "ada", "wrong guess").status_code == 429
    assert log_in(mallory, "ada", PASSWORD).status_code == 429
    assert log_in(Client(REMOTE_ADDR="203.0.113.9"), "ada", PASSWORD).status_code == 429


def test_signing_up_does_not_forget_the_guesses_at_another_account(ada):
    mallory = Client(REMOTE_ADDR="198.51.100.66")
    for _ in range(4):
        assert log_in(mallory, "ada", "wrong guess").status_code == 200
    signed_up = mallory.post("/accounts/signup/", {
        "username": "mallory2", "email": "m2@example.org",
        "password1": "mallory's own passphrase", "password2": "mallory's own passphrase",
    })  # fmt: skip
    assert signed_up.status_code == 302
    response = log_in(mallory, "ada", "wrong guess")
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()


def test_the_limit_and_the_wait_come_from_the_environment():
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {**os.environ, "LOGIN_FAILURE_LIMIT": "3", "LOGIN_COOLOFF_MINUTES": "60"}
    code = (
        "from django.conf import settings; "
        "print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds())"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.stdout.split() == ["3", "3600.0"], result.stderr
