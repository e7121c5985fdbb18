"""The project as an operator meets it: compose file, settings from the environment."""

import importlib
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)
ONE_SHOT = {"migrate"}


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command_of(service) -> list[str]:
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


def test_compose_describes_the_production_topology(compose):
    assert set(compose["services"]) == {
        "db", "redis", "migrate", "web", "worker", "tap-worker", "beat"
    }  # fmt: skip


def test_every_compose_command_exists_in_the_project(compose):
    for name, service in compose["services"].items():
        if "command" not in service or service.get("image", "").startswith("redis"):
            continue
        argv = command_of(service)
        if argv[:2] == ["python", "manage.py"]:
            assert argv[2] in get_commands(), f"{name}: no management command {argv[2]}"
        elif argv[0] == "gunicorn":
            module, attribute = argv[1].split(":")
            assert callable(getattr(importlib.import_module(module), attribute)), name
        elif argv[0] == "celery":
            app_module = argv[argv.index("-A") + 1]
            assert importlib.import_module(app_module).celery_app.main == "portal", name
            assert argv[argv.index("-A") + 2] in {"worker", "beat"}, name
        else:
            pytest.fail(f"{name}: unknown command {argv}")


def test_every_built_image_has_its_dockerfile(compose):
    for name, service in compose["services"].items():
        build = service.get("build")
        if build:
            assert (ROOT / build / "Dockerfile").is_file(), name
    assert "postgresql-15-q3c" in (ROOT / "docker/postgres/Dockerfile").read_text()


def test_long_running_services_have_health_checks(compose):
    for name, service in compose["services"].items():
        if name in ONE_SHOT or name == "beat":
            continue
        assert "healthcheck" in service, name


def test_the_compose_environment_names_only_settings_the_portal_reads(compose):
    settings_text = (ROOT / "portal" / "settings.py").read_text()
    for service in compose["services"].values():
        if "build" in service and service["build"] == ".":
            for variable in service["environment"]:
                assert f'"{variable}"' in settings_text, variable


def run_settings(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings({"DEBUG": "0"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_settings_pass_the_deployment_check():
    result = run_settings(
        {
            "DEBUG": "0",
            "SECRET_KEY": "x" * 64 + "-not-a-real-key-but-long-and-varied-0123456789",
            "ALLOWED_HOSTS": "jmdc.example.org",
        },
        *("check", "--deploy", "--fail-level", "WARNING"),
    )
    assert result.returncode == 0, result.stderr


def stack_commands() -> dict[str, list[str]]:
    """The commands ops/stack starts (lines `background NAME "$BIN/program" args...`)."""
    commands = {}
    for line in (ROOT / "ops" / "stack").read_text().splitlines():
        words = (
            shlex.split(line.strip(), posix=True) if line.strip().startswith("background ") else []
        )
        if len(words) > 2:
            commands[words[1]] = [words[2].removeprefix("$BIN/"), *words[3:]]
    return commands


def without_schedule_path(argv: list[str]) -> list[str]:
    if "--schedule" in argv:
        at = argv.index("--schedule")
        return argv[:at] + argv[at + 2 :]
    return argv


def test_the_native_stack_runs_what_compose_runs(compose):
    natively = stack_commands()
    assert set(natively) == {"web", "worker", "tap-worker", "beat"}
    for name, argv in natively.items():
        in_compose = command_of(compose["services"][name])
        assert without_schedule_path(argv) == without_schedule_path(in_compose), name


def test_production_logs_one_json_object_per_line():
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('jmdc.check').warning('row %s refused', 3, extra={'row': 3})"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": "0",
            "SECRET_KEY": "k" * 50,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["level"] == "WARNING"
    assert line["logger"] == "jmdc.check"
    assert line["message"] == "row 3 refused"
    assert line["row"] == 3
    assert line["time"].endswith("+00:00")
