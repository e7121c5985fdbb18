"""The production Content-Security-Policy breaks no page: every page of the portal, the API's
documentation (Swagger UI) and the admin load in Chromium with nothing blocked (the `new_page`
fixture fails a test whose pages had anything refused by the policy)."""

import pytest
from playwright.sync_api import expect

from .people import sign_up

pytestmark = [pytest.mark.postgresql, pytest.mark.e2e]

PUBLIC = ["/", "/releases/", "/search", "/accounts/login/", "/accounts/signup/",
          "/accounts/password_reset/", "/api/v1/measurements/", "/admin/login/"]  # fmt: skip


def test_the_public_pages_load_with_nothing_blocked(stack, new_page):
    page = new_page()
    for path in PUBLIC:
        response = page.goto(path)
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert "camera=()" in response.headers["permissions-policy"]
    page.goto("/")
    page.locator("table a[href^='/star/']").first.click()
    expect(page.locator("h1")).to_be_visible()


def test_swagger_ui_draws_the_api_documentation_under_the_policy(stack, new_page):
    page = new_page()
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("JMDC portal API")
    page.locator(".opblock-summary").first.click()  # an operation unfolds: the script runs
    expect(page.locator(".opblock-body").first).to_be_visible()


def test_the_admin_works_under_the_policy(stack, new_page):
    page = new_page()
    name = sign_up(page, "admin")
    stack.manage(
        "shell", "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.filter(username={name!r}).update(is_staff=True, is_superuser=True)",
    )  # fmt: skip
    page.goto("/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    page.goto("/admin/auth/user/")
    page.get_by_role("link", name=name).click()
    expect(page.locator("#id_email")).to_have_value(f"{name}@example.org")
    page.goto("/admin/auth/user/add/")
    expect(page.locator("#id_email")).to_be_visible()
