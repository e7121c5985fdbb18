"""The accounts' e-mails leave the web request (defect 4): a slow or absent mail server or
broker never holds or breaks a sign-up or a reset, and sign-ups per address are limited."""

import logging
import os
import socket
import threading
import time

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from tests.accounts.signup import PASSWORD, link_in, post, sign_up
from tests.broker import BROKER_DOWN, broker_at
from tests.personas import verified_user

REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:63799/7")


class SilentMailServer:
    """Accepts connections and never answers: a mail server that hangs."""

    def __init__(self, hold_seconds: float):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.hold = hold_seconds
        self.conns = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        self.sock.settimeout(self.hold)
        try:
            while True:
                self.conns.append(self.sock.accept()[0])
        except OSError:
            pass

    def close(self):
        for conn in self.conns:
            conn.close()
        self.sock.close()


def test_a_mail_server_that_never_answers_holds_a_sign_up_for_the_timeout_only(
    db, settings, caplog
):
    server = SilentMailServer(hold_seconds=15)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = (
        "127.0.0.1",
        server.port,
        False,
    )
    settings.EMAIL_TIMEOUT = 1
    started = time.monotonic()
    try:
        with caplog.at_level(logging.ERROR, logger="accounts.tasks"):
            response = sign_up(Client())
    finally:
        server.close()
    assert time.monotonic() - started < 8
    assert "Welcome, newcomer." in response.content.decode()
    assert "could not send the verification e-mail to user" in caplog.text


def test_the_mail_timeout_comes_from_the_environment(settings):
    import subprocess
    import sys

    env = {**os.environ, "EMAIL_TIMEOUT": "7"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c",
         "from django.conf import settings; print(settings.EMAIL_TIMEOUT)"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.stdout.split() == ["7.0"], result.stderr


def test_sign_up_and_reset_queue_their_emails_for_the_worker(db):
    """With a broker, the web request queues the e-mails and sends nothing itself."""
    redis = pytest.importorskip("redis").Redis.from_url(REDIS)
    try:
        redis.ping()
    except Exception:
        from tests.parts import missing_part

        missing_part(f"no Redis at {REDIS}")
    redis.delete("celery")
    verified_user("ada", "ada@example.org", PASSWORD)
    try:
        with broker_at(REDIS):
            response = sign_up(Client())
            post(Client(), "/accounts/password_reset/", {"email": "ada@example.org"})
        assert "Welcome, newcomer." in response.content.decode()
        assert mail.outbox == []
        queued = [m.decode() for m in redis.lrange("celery", 0, -1)]
        assert len(queued) == 2
        assert "accounts.tasks.send_verification_email" in queued[-1]
        assert "accounts.tasks.send_password_reset_email" in queued[0]
    finally:
        redis.delete("celery")


def test_a_broker_that_is_down_is_logged_and_the_link_can_be_asked_again_at_once(db, caplog):
    client = Client()
    with broker_at(BROKER_DOWN), caplog.at_level(logging.WARNING, logger="lib.enqueue"):
        response = sign_up(client)
        reset = post(Client(), "/accounts/password_reset/", {"email": "new@example.org"})
    assert response.status_code == 200 and "Welcome, newcomer." in response.content.decode()
    assert reset.status_code == 302
    user = User.objects.get(username="newcomer")
    assert f"could not queue the verification e-mail to user {user.pk}" in caplog.text
    assert mail.outbox == []

    again = post(client, "/accounts/verify/resend/", follow=True)
    assert "A new link is on its way to new@example.org." in again.content.decode()
    assert client.get(link_in(mail.outbox[0])).status_code == 302


def test_a_reset_email_the_server_refuses_is_logged_not_a_500(db, settings, caplog):
    verified_user("ada", "ada@example.org", PASSWORD)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False
    with caplog.at_level(logging.ERROR, logger="accounts.tasks"):
        response = post(Client(), "/accounts/password_reset/", {"email": "ada@example.org"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    assert "could not send a password-reset e-mail, given up" in caplog.text


def test_sign_ups_from_one_address_are_limited_per_hour(db, settings):
    settings.SIGNUP_RATE_PER_HOUR = 2
    here = Client(REMOTE_ADDR="198.51.100.5")
    for number in range(2):
        response = sign_up(here, username=f"bulk{number}", email=f"bulk{number}@example.org")
        assert "Welcome" in response.content.decode()
    refused = sign_up(here, username="bulk2", email="victim@example.org")
    assert refused.status_code == 429
    assert (
        "At most 2 sign-ups can be tried from your address in an hour (each submission of "
        "the form counts). Try again in an hour." in refused.content.decode()
    )
    assert not User.objects.filter(username="bulk2").exists()
    assert [m.to for m in mail.outbox] == [["bulk0@example.org"], ["bulk1@example.org"]]
    elsewhere = sign_up(Client(REMOTE_ADDR="203.0.113.9"), username="other")
    assert "Welcome, other." in elsewhere.content.decode()


def test_every_sign_up_attempt_counts_so_addresses_cannot_be_tested_in_bulk(db, settings):
    """Review of #14: twelve sign-ups with a mismatched password each asked whether an
    address was taken, and none counted (only accounts opened did)."""
    settings.SIGNUP_RATE_PER_HOUR = 3
    verified_user("ada", "ada@example.org", PASSWORD)
    prober = Client(REMOTE_ADDR="198.51.100.7")
    for number in range(3):
        response = prober.post("/accounts/signup/", {
            "username": f"probe{number}", "email": f"guess{number}@example.org",
            "password1": PASSWORD, "password2": "not the same",
        })  # fmt: skip
        assert response.status_code == 200
        assert "The two password fields didn’t match." in response.content.decode()
    refused = sign_up(prober, username="probe3", email="ada@example.org")
    assert refused.status_code == 429
    assert "Another account already uses" not in refused.content.decode()
    assert "At most 3 sign-ups can be tried from your address in an hour" in (
        refused.content.decode()
    )
    assert list(User.objects.values_list("username", flat=True)) == ["ada"]
    assert mail.outbox == []
