"""The native stack (`ops/stack`) booted from Python in a folder of its own, on free ports:
what the end-to-end tests (tests/e2e) and the load bench (bench/load.py) run against."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "ops" / "stack"
# Settings the stack sets itself (ops/stack env); the caller's values must not leak in.
STACK_OWN = {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "DEBUG", "SECRET_KEY"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing_parts() -> str | None:
    """What this machine lacks to boot the stack, or None."""
    if not Path("/usr/lib/postgresql/15/bin/pg_ctl").exists() or not shutil.which("redis-server"):
        return "the native stack needs postgresql-15, postgresql-15-q3c and redis-server"
    return None


class NativeStack:
    """`start()`, then `base_url`, `manage(...)`, `logs()`; `stop()` ends every process and
    `remove()` deletes the folder (database cluster and logs)."""

    def __init__(self, **settings: str):
        # Not under a private (0700) temporary folder: PostgreSQL runs as its own user.
        self.folder = Path(tempfile.mkdtemp(prefix="jmdc-stack-"))
        self.folder.chmod(0o755)
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        self._script_env = {k: v for k, v in os.environ.items() if k not in STACK_OWN}
        self._script_env.update(
            STACK_DIR=str(self.folder), STACK_PORT=str(port), STACK_PG_PORT=str(free_port()),
            STACK_REDIS_PORT=str(free_port()), **settings,
        )  # fmt: skip
        self.env = dict(self._script_env)  # what manage.py needs, completed by start()

    def start(self) -> None:
        started = self._script("start")
        if started.returncode:
            raise RuntimeError(f"ops/stack start failed:\n{started.stderr}\n{self.logs()}")
        for line in self._script("env").stdout.splitlines():
            name, _, value = line.removeprefix("export ").partition("=")
            self.env[name] = value

    def stop(self) -> None:
        self._script("stop")

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, path: str) -> str:
        return self.base_url + path

    def manage(self, *args: str, timeout: float = 300) -> str:
        """manage.py against the stack's database, as an operator would run it."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    def logs(self) -> str:
        parts = []
        for name in ("web", "worker", "tap-worker", "beat"):
            path = self.folder / "logs" / f"{name}.log"
            if path.exists():
                parts.append(f"--- {name}.log (end)\n" + path.read_text()[-3000:])
        return "\n".join(parts)

    def _script(self, command: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(SCRIPT), command],
            env=self._script_env,
            capture_output=True,
            text=True,
            timeout=600,
        )
