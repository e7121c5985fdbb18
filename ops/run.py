"""The embedded default, as `make run` serves it: Django's development server, and a Celery
worker with beat on the embedded broker (kombu's filesystem transport in var/broker unless
CELERY_BROKER_URL says otherwise), so that submissions are identified after the response,
failed SIMBAD requests are retried and the periodic sweep runs, as in production.

    .venv/bin/python ops/run.py [--noreload] [ADDRESS]      (default 127.0.0.1:8000)

Ctrl-C (or SIGTERM) stops both (exit 0); if either stops by itself, the other is stopped too
and the exit code is the one that stopped first (128 + N when a signal N killed it).
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def commands(address: str, reload: bool) -> dict[str, list[str]]:
    python = sys.executable
    var = Path(os.environ.get("JMDC_VAR_DIR", ROOT / "var"))
    var.mkdir(parents=True, exist_ok=True)
    web = [python, "manage.py", "runserver", address]
    if not reload:
        web.insert(3, "--noreload")
    worker = [
        python, "-m", "celery", "-A", "portal", "worker", "--beat",
        "--schedule", str(var / "celerybeat-schedule"),
        # Threads, not processes: a few tasks at once without a copy of the portal per
        # process on a developer's machine (SQLite in WAL mode takes the writes in turn).
        "--pool", "threads", "--concurrency", "4",
        # TAP's queue too: production gives it a worker of its own (docker-compose.yml) so
        # that long user queries never delay SIMBAD resolution; one is enough on a laptop.
        "--queues", "celery,tap",
        "--hostname", "embedded@%h", "--loglevel", "INFO",
    ]  # fmt: skip
    return {"worker": worker, "web": web}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("address", nargs="?", default="127.0.0.1:8000")
    parser.add_argument("--noreload", action="store_true", help="no autoreload of the server")
    options = parser.parse_args(argv)
    children = {
        name: subprocess.Popen(command, cwd=ROOT)  # noqa: S603 - our own commands
        for name, command in commands(options.address, not options.noreload).items()
    }

    asked_to_stop = False

    def stop(*_args) -> None:
        for child in children.values():
            if child.poll() is None:
                child.terminate()

    def on_signal(*_args) -> None:
        nonlocal asked_to_stop
        asked_to_stop = True
        stop()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        while all(child.poll() is None for child in children.values()):
            time.sleep(0.5)
    finally:
        first = next((c for c in children.values() if c.poll() is not None), None)
        stop()
        for child in children.values():
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
    if asked_to_stop or first is None or first.returncode == 0:
        return 0
    name = next(name for name, child in children.items() if child is first)
    code = first.returncode
    print(f"ops/run: the {name} stopped by itself (exit {code}); the other was stopped too.")
    return code if code > 0 else 128 - code  # killed by a signal: the shell's convention


if __name__ == "__main__":
    sys.exit(main())
