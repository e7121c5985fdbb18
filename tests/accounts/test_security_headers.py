"""Content-Security-Policy and Permissions-Policy on every page (defect 13)."""

import re
from pathlib import Path

from django.conf import settings
from django.test import Client

from tests.personas import verified_user


def policy(response) -> dict[str, str]:
    parts = (p.strip().split(" ", 1) for p in response["Content-Security-Policy"].split(";"))
    return {p[0]: (p[1] if len(p) > 1 else "") for p in parts if p[0]}


def test_pages_forbid_inline_scripts_styles_and_other_origins(db):
    response = Client().get("/")
    assert response.status_code == 200
    directives = policy(response)
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_browser_features_no_page_uses_are_denied(db):
    header = Client().get("/").headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in header


def test_the_api_documentation_page_runs_under_the_same_policy(db):
    client = Client()
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    assert [what for pattern, what in INLINE if pattern.search(html)] == []
    script_url = re.search(r'<script src="([^"]*script=[^"]*)"', html)[1]
    script = client.get(script_url.replace("&amp;", "&"))
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_the_admin_pages_carry_the_policy(db):
    root = verified_user("root")
    root.is_staff = root.is_superuser = True
    root.save()
    client = Client()
    client.force_login(root)
    assert "script-src 'self'" in client.get("/admin/").headers["Content-Security-Policy"]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style", re.I), "a <style> element"),
    (re.compile(r"\sstyle=", re.I), "a style= attribute"),
    (re.compile(r"\son[a-z]+=", re.I), "an on...= handler"),
]


def test_no_template_of_ours_has_inline_script_or_style():
    """What the policy would block in a browser, found before a browser meets it."""
    root = Path(settings.BASE_DIR)
    folders = [root / "templates"] + [root / app / "templates" for app in ("jmdc", "curation", "obsportal", "accounts")]  # fmt: skip
    found = []
    for folder in folders:
        for path in folder.rglob("*.html") if folder.is_dir() else []:
            text = re.sub(
                r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", path.read_text(), flags=re.S
            )
            for pattern, what in INLINE:
                if pattern.search(text):
                    found.append(f"{path.relative_to(root)}: {what}")
    assert found == []


def test_only_the_browsable_api_pages_may_carry_style_attributes(db):
    """DRF's own template floats two buttons with style="...": allowed there, nowhere else."""
    client = Client()
    html_page = client.get("/api/v1/measurements/", HTTP_ACCEPT="text/html")
    assert "style-src-attr 'unsafe-inline'" in html_page["Content-Security-Policy"]
    assert "script-src 'self'" in html_page["Content-Security-Policy"]
    json_page = client.get("/api/v1/measurements/")
    assert "unsafe-inline" not in json_page["Content-Security-Policy"]
    assert "unsafe-inline" not in client.get("/").headers["Content-Security-Policy"]


def test_the_browsable_api_style_element_is_allowed_by_its_hash_only(db):
    import base64
    import hashlib

    page = Client().get("/api/v1/measurements/", HTTP_ACCEPT="text/html")
    styles = re.findall(r"<style>(.*?)</style>", page.content.decode(), re.S)
    directives = policy(page)
    assert styles, "DRF inlines its code highlighter's style: the case this policy is for"
    for text in styles:
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in directives["style-src"]
    assert "unsafe-inline" not in directives["style-src"]


def test_a_form_refused_for_its_csrf_token_gets_our_page_without_inline_style(db):
    """Django's own CSRF failure page styles itself inline, which the policy blocks."""
    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "ada", "password": "anything"}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "The form expired or came from another site: reload the page and send it again." in page
    assert "<style" not in page and "style=" not in page
    assert '<link rel="stylesheet"' in page  # our base.html, with the site's own styles
