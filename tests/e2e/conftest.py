"""End-to-end tests: the native production stack (`ops/stack`: PostgreSQL + q3c, Redis,
gunicorn, a Celery worker and beat, DEBUG=0) booted once for the session, driven by Debian's
Chromium through Playwright.

These tests talk to the stack over HTTP only; the stack has its own database cluster, so they
do not use pytest-django's test database. Each module is marked `postgresql` and `e2e`: they
run in the PostgreSQL pass of `make test` (the stack is PostgreSQL whatever DATABASE_URL says).
SIMBAD is the local stand-in, given objects that are invented and labelled TEST.

A failing test saves a screenshot of each of its pages to test-artifacts/e2e/<test>-<n>.png and
prints their visible text and the end of the stack's logs in the report.
"""

import os
import shutil
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

from ops.native import NativeStack, missing_parts
from standins.eso import EsoArchiveStandIn
from standins.simbad import SimbadStandIn, StandInObject
from tests.e2e.artifacts import ARTIFACTS
from tests.parts import missing_part

from .people import MAIL_DIR

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")

# Chromium as root, headless, and with nothing that reaches for Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Invented objects the SIMBAD stand-in answers for in these tests: TEST DATA, not SIMBAD's.
TEST_OBJECTS = [
    StandInObject("* tst E2E-A", 101.2875, -16.7161, "*", "A1V", ("HD 990001", "* tst E2E-A")),
    StandInObject("* tst E2E-B", 88.7929, 7.4071, "*", "M2Iab", ("HD 990002", "* tst E2E-B")),
    StandInObject("* tst E2E-C", 213.9153, 19.1824, "*", "K1.5III", ("HD 990003",)),
    # The OIFITS pages' own star: another test's name would be known before it submits it,
    # and outside the "HD 99000" names the journey finds in the public catalogue.
    StandInObject("* tst E2E-D", 24.4285, -57.2367, "*", "B6Vep", ("HD 980001",)),
]


class Stack(NativeStack):
    """The native stack, with what the tests do to it as operators and managers would."""

    eso: EsoArchiveStandIn

    def appoint(self, username: str, group: str) -> None:
        """What a manager does in the admin: put a user in the curators or managers group."""
        self.manage(
            "shell",
            "-c",
            "from django.contrib.auth.models import Group, User; "
            f"User.objects.get(username={username!r}).groups.add(Group.objects.get(name={group!r}))",
        )

    @contextmanager
    def worker_paused(self):
        """The worker stops taking tasks from the queue (they wait in Redis) until the block
        ends: how a test sees a long task's page while it is still queued, deterministically."""
        # Only the main worker (TAP's takes the queue "tap" alone: a broadcast would make it
        # take "celery" too when the block ends).
        main = f"--destination=celery@{socket.gethostname()}"
        self.celery("control", "cancel_consumer", "celery", main)
        try:
            yield
        finally:
            self.celery("control", "add_consumer", "celery", main)

    def celery(self, *args: str) -> None:
        result = subprocess.run(
            [str(Path(sys.executable).parent / "celery"), "-A", "portal", *args],
            cwd=settings.BASE_DIR, env=self.env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert result.returncode == 0 and "OK" in result.stdout, result.stdout + result.stderr


@pytest.fixture(scope="session")
def stack(shared_dir):
    if reason := missing_parts():
        missing_part(reason)
    simbad = SimbadStandIn(TEST_OBJECTS, shared_dir=shared_dir / "simbad")
    simbad.start()
    eso = EsoArchiveStandIn(shared_dir=shared_dir / "obsportal").__enter__()
    result = Stack(
        SIMBAD_TAP_URL=simbad.url,
        SIMBAD_MAX_REQUESTS_PER_SECOND="100",
        SIMBAD_RETRY_BASE_SECONDS="1",
        ESO_TAP_URL=eso.tap_url,
        ESO_HEADER_URL=eso.header_url,
        ESO_MAX_REQUESTS_PER_SECOND="100",
        # Small enough that the whole catalogue goes through an export task and its progress.
        EXPORT_STREAM_MAX_ROWS="1000",
        WEB_CONCURRENCY="3",
        LOG_LEVEL="INFO",
        JMDC_SHARED_DIR=str(shared_dir),
        # Each e-mail a file (written by the worker): the people of the tests follow the
        # links they are sent.
        EMAIL_FILE_PATH=str(MAIL_DIR),
        # Every person of the tests signs up from 127.0.0.1.
        SIGNUP_RATE_PER_HOUR="1000",
    )
    result.eso = eso
    try:
        result.start()
        yield result
    finally:
        result.stop()
        result.remove()
        shutil.rmtree(MAIL_DIR, ignore_errors=True)
        simbad.stop()
        eso.__exit__()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        missing_part(f"Chromium is not at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, stack, request):
    """Open a page in a fresh browser profile (one per person of a test); the pages of a
    failing test are kept as screenshots and their visible text printed."""
    contexts = []
    refused = []  # what the Content-Security-Policy blocked, on any page of the test

    def open_page():
        context = browser.new_context(base_url=stack.base_url, accept_downloads=True)
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                refused.append(f"{page.url}: {message.text}")
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    open_page.refused_by_policy = refused
    yield open_page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for number, context in enumerate(contexts, start=1):
            for page in context.pages:
                shot = ARTIFACTS / f"{request.node.name}-{number}.png"
                try:
                    page.screenshot(path=str(shot), full_page=True)
                    text = page.inner_text("body")
                except Exception as exc:  # the page may be gone with the failure
                    text = f"(page not readable: {exc})"
                print(f"\n--- page {number}: {page.url} (screenshot: {shot})\n{text[:4000]}")
        print(stack.logs())
    for context in contexts:
        context.close()
    # Every page of every end-to-end test runs under the production policy: a script, style or
    # image it blocks is a broken page even when the test's own assertions held.
    assert refused == [], "blocked by the Content-Security-Policy:\n" + "\n".join(refused)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.report_call = report
