"""`make run`'s portal (ops/run.py: the development server, and a Celery worker with beat on
the embedded filesystem broker, SQLite in var/) identifies a submitted name in its own worker
after the response, and gets over a SIMBAD outage by itself.

The portal runs in its own processes on a fresh var/ folder, as `make run` starts it; SIMBAD is
the local stand-in, knowing one invented object."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings

from ops.native import free_port
from standins.simbad import SimbadStandIn, StandInObject

ROOT = Path(settings.BASE_DIR)
# Invented for this test: not a SIMBAD object.
OBJECT = StandInObject("TEST embedded 1", 12.5, -30.25, sp_type="K0III", identifiers=("HD 990001",))
ROW = {
    "ID1": "HD 990001", "ID2": "", "UD_DIAM": "1.20", "LD_DIAM": "1.25", "E_LD_DIAM": "0.02",
    "BAND": "H", "MU_LAMBDA": "", "METHOD": "1", "BANDCODE": "7", "NOTES": "invented row",
    "BIBCODE": "2026A&A...999A...1T", "SINPE": "",
}  # fmt: skip


def wait_for(what: str, probe, seconds: float = 90.0):
    """Poll ``probe`` until it returns something true; fail naming ``what`` otherwise."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if result := probe():
                return result
        except requests.RequestException:
            pass
        time.sleep(0.5)
    pytest.fail(f"gave up waiting for {what} after {seconds:.0f} s")


@pytest.fixture
def embedded(tmp_path, shared_dir):
    """The portal as `make run` serves it, in its own var/ folder, SIMBAD being the stand-in."""
    simbad = SimbadStandIn([OBJECT], shared_dir=shared_dir / "simbad")
    simbad.start()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CELERY_", "DJANGO_SETTINGS", "DATABASE_URL", "CACHE_URL"))
    }
    env.update(
        JMDC_VAR_DIR=str(tmp_path), DEBUG="1", SIMBAD_TAP_URL=simbad.url,
        SIMBAD_MAX_REQUESTS_PER_SECOND="100", SIMBAD_RETRY_BASE_SECONDS="1",
        SIMBAD_SWEEP_SECONDS="5", SIMBAD_TIMEOUT="5",
        ESO_TAP_URL="http://127.0.0.1:9/tap_obs", ESO_HEADER_URL="http://127.0.0.1:9/hdr",
    )  # fmt: skip

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    manage("migrate", "--noinput", "-v0")
    key = manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; from accounts.models import ApiToken;"
        "from accounts.verification import mark_verified;"
        "u = User.objects.create_user('ada', 'ada@example.org', 'pw-ada-embedded');"
        "mark_verified(u); print(ApiToken.issue(u, 'embedded test')[1])",
    ).split()[-1]  # fmt: skip (the shell prints its auto-imports first)
    port = free_port()
    log = (tmp_path / "run.log").open("w")
    portal = subprocess.Popen(
        [sys.executable, "ops/run.py", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(
            "the portal and its worker (/health 200)",
            lambda: requests.get(f"{base}/health", timeout=5).status_code == 200,
        )
        yield base, key, simbad, tmp_path / "run.log"
    finally:
        portal.terminate()
        try:
            portal.wait(timeout=30)
        except subprocess.TimeoutExpired:
            portal.kill()
        log.close()
        simbad.stop()


@pytest.mark.sqlite
def test_make_run_identifies_a_submitted_name_in_its_worker_and_outlives_a_simbad_outage(
    embedded,
):
    base, key, simbad, log = embedded
    health = requests.get(f"{base}/health", timeout=5).json()
    assert health["broker"] == "ok"
    assert health["worker"].startswith("ok: embedded@")
    # The worker checked SIMBAD as it started (not after beat's first 5 minutes).
    wait_for(
        "the worker's first check of SIMBAD",
        lambda: requests.get(f"{base}/health", timeout=5).json()["simbad"].startswith("reachable"),
        seconds=30,
    )

    api = requests.Session()
    api.headers["Authorization"] = f"Token {key}"
    created = api.post(f"{base}/api/v1/submissions/", json={"title": "t", "rows": [ROW]})
    assert created.status_code == 201, created.text
    pk = created.json()["id"]
    # SIMBAD is down (503) for the first three requests, then answers.
    simbad.inject(("503",), ("503",), ("503",))
    submitted = api.post(f"{base}/api/v1/submissions/{pk}/submit/")
    assert submitted.status_code == 200, submitted.text

    page = requests.Session()
    page.get(f"{base}/accounts/login/")
    logged_in = page.post(
        f"{base}/accounts/login/",
        {"username": "ada", "password": "pw-ada-embedded",
         "csrfmiddlewaretoken": page.cookies["csrftoken"]},
        headers={"Referer": f"{base}/accounts/login/"},
    )  # fmt: skip
    assert logged_in.status_code == 200 and "sessionid" in page.cookies

    def identified():
        state = page.get(f"{base}/submissions/{pk}/identification.json").json()
        return state if state["finished"] else None

    state = wait_for("the worker to identify HD 990001 after the outage", identified)
    assert state["stage"] == "1 of 1 name identified by SIMBAD"
    # Nobody touched anything: three refused requests, then the one that answered.
    asked = [r.kind for r in simbad.requests if r.path.endswith("/sync")]
    assert asked[:3] == ["fault:503"] * 3, asked
    assert len(asked) >= 4, asked

    # It was the worker (not the web request) that asked, and retried: its log says so. The
    # task's state is saved before it returns, so its "succeeded" line may come a moment later.
    def worker_lines():
        return [line for line in log.read_text().splitlines() if "resolve_stars_task" in line]

    assert any("retry" in line.lower() for line in worker_lines()), worker_lines()[-5:]
    wait_for(
        "the worker's log to say the task succeeded",
        lambda: any("succeeded" in line for line in worker_lines()),
        seconds=30,
    )


@pytest.mark.sqlite
def test_make_run_stops_with_an_error_when_its_worker_dies(tmp_path):
    """A worker killed under the developer's feet stops the portal with a non-zero exit, not
    a server that silently queues work nobody runs."""
    import signal

    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DATABASE_URL"))}
    env.update(JMDC_VAR_DIR=str(tmp_path), DEBUG="1")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True, timeout=300,
    )  # fmt: skip
    portal = subprocess.Popen(
        [sys.executable, "ops/run.py", "--noreload", f"127.0.0.1:{free_port()}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        worker = wait_for("the worker's process", lambda: _child_celery(portal.pid), seconds=60)
        os.kill(worker, signal.SIGKILL)
        output, _ = portal.communicate(timeout=60)
    finally:
        if portal.poll() is None:
            portal.kill()
    assert portal.returncode == 128 + signal.SIGKILL, output[-2000:]
    assert "ops/run: the worker stopped by itself (exit -9)" in output


def _child_celery(parent: int) -> int | None:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == parent and b"celery" in cmdline:
                return int(entry.name)
    return None
