"""A real Celery worker sends the e-mail of a transition, retrying through a mail server that
refuses it at first (issue 14: side effects never break a committed transition).

The worker is a separate process, so it shares the test database only on PostgreSQL; the mail
server is a small stand-in speaking SMTP on 127.0.0.1 that answers 421 (service not available)
to its first connections, as a real server does when it is overloaded or restarting.
"""

import os
import socketserver
import subprocess
import sys
import threading
import time

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from curation import services
from tests.broker import wait_for
from tests.rows import row


class SmtpStandIn(socketserver.ThreadingTCPServer):
    """SMTP on a free local port: refuses the first ``refusals`` connections with 421, then
    accepts messages and keeps their raw text."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, refusals: int):
        super().__init__(("127.0.0.1", 0), SmtpSession)
        self.refusals, self.connections, self.messages = refusals, 0, []

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class SmtpSession(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        server = self.server
        server.connections += 1
        if server.connections <= server.refusals:
            self.reply("421 127.0.0.1 Service not available, try again later")
            return
        self.reply("220 127.0.0.1 SMTP stand-in")
        while line := self.rfile.readline():
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 127.0.0.1")
            elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                self.reply("250 OK")
            elif command == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data.decode())
                server.messages.append("".join(lines))
                self.reply("250 OK queued")
            elif command == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


@pytest.fixture
def mail_worker(redis_url, tmp_path):
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    log = tmp_path / "worker.log"
    with SmtpStandIn(refusals=2) as smtp:
        env = {
            **os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": redis_url,
            "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp.port), "EMAIL_USE_TLS": "0",
            "EMAIL_RETRY_BASE_SECONDS": "0.2", "DEBUG": "1",
            "SIMBAD_TAP_URL": "http://127.0.0.1:9/simbad/sim-tap",  # nothing reaches the internet
        }  # fmt: skip
        # Not the current app: the portal's own tasks, queued by the services in this process,
        # must keep running eagerly here, not reach this worker as extra messages.
        sender = Celery("jmdc-test-sender", broker=redis_url, set_as_current=False)
        sender.control.purge()  # messages other tests left unacknowledged would come first
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "solo", "--loglevel", "info", "--without-gossip", "--without-mingle"],
            cwd=settings.BASE_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            yield smtp, sender
        finally:
            process.terminate()
            process.wait(timeout=30)
            print(log.read_text()[-4000:])  # shown by pytest when the test fails


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_worker_retries_the_email_of_a_transition_until_the_mail_server_takes_it(
    mail_worker, people
):
    smtp, sender = mail_worker
    draft = services.create_submission(
        actor=people.astronomer, rows=[row()], group=people.group, title="alf Boo in K"
    )
    services.submit(draft, actor=people.astronomer)  # eager here: its own e-mail is console
    started = time.monotonic()
    entry = draft.audit.get(action="submit")
    sender.send_task("curation.tasks.send_transition_email", args=[entry.pk])
    assert wait_for(lambda: smtp.messages, timeout=60)
    assert smtp.connections == 3  # refused twice, then taken
    assert time.monotonic() - started >= 0.2 * 0.75 * 3  # waited 0.2 s then 0.4 s, with jitter
    message = smtp.messages[0]
    assert "Subject: [JMDC] alf Boo in K: submitted" in message
    assert "cur@example.org" in message and "man@example.org" in message
