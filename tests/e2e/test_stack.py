"""The booted stack as an operator checks it: health, static files, HTTPS headers, logs."""

import json
import re

import pytest
import requests

pytestmark = [pytest.mark.postgresql, pytest.mark.e2e]


def get(stack, path: str, **headers: str):
    response = requests.get(stack.url(path), headers=headers, timeout=10, allow_redirects=False)
    return response.status_code, response.headers, response.content


def test_health_sees_the_database_the_broker_and_a_worker(stack):
    status, _, body = get(stack, "/health")
    answer = json.loads(body)
    assert status == 200
    assert answer["status"] == answer["database"] == answer["broker"] == "ok"
    assert answer["worker"].startswith("ok: celery@")  # the main worker, not TAP's alone
    assert answer["tap_worker"].startswith("ok: tap@")


def test_static_files_are_served_compressed_with_long_cache_lifetimes(stack):
    _, _, page = get(stack, "/")
    stylesheet = re.search(rb'href="(/static/jmdc/site\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page should link the hashed name of the manifest storage"
    status, headers, _ = get(stack, stylesheet.group(1).decode(), **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in headers["Cache-Control"]


def test_behind_the_tls_proxy_pages_carry_hsts_and_secure_cookies(stack):
    _, headers, _ = get(stack, "/accounts/login/", **{"X-Forwarded-Proto": "https"})
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    cookie = headers["Set-Cookie"]
    assert "csrftoken=" in cookie and "Secure" in cookie
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_every_process_logs_one_json_object_per_line(stack):
    get(stack, "/health")
    access = [
        json.loads(line)
        for line in (stack.folder / "logs" / "web.log").read_text().splitlines()
        if '"gunicorn.access"' in line
    ]
    assert any(line["path"] == "/health" and line["status"] == 200 for line in access)
    worker = (stack.folder / "logs" / "worker.log").read_text().splitlines()
    events = [json.loads(line) for line in worker if line.startswith("{")]
    assert any(event["message"].endswith("ready.") for event in events)
