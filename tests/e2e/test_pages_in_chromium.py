"""What only a browser can check: the catalogue toolbar's Copy and Print, and the token page
giving a key that the REST API then accepts, until it is revoked."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from .people import sign_up

pytestmark = [pytest.mark.postgresql, pytest.mark.e2e]


def test_copy_puts_the_whole_selection_on_the_clipboard_as_tab_separated_text(stack, new_page):
    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/?identifier=HD+4")
    exported = page.request.get("/export_csv?identifier=HD+4")
    expected = list(csv.reader(io.StringIO(exported.text())))
    assert len(expected) > 51, "the selection should be larger than one page of the table"
    page.get_by_role("button", name="Copy").click()
    expect(page.locator(".toolbar-status")).to_have_text(
        f"{len(expected) - 1} rows copied (tab-separated, with the header)."
    )
    copied = page.evaluate("navigator.clipboard.readText()")
    assert [line.split("\t") for line in copied.split("\n")] == [
        [re.sub(r"[\t\r\n]+", " ", cell) for cell in row] for row in expected
    ]


def test_copy_of_a_selection_too_large_to_stream_says_so(stack, new_page):
    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/")  # the whole catalogue: more than the stack's EXPORT_STREAM_MAX_ROWS
    page.get_by_role("button", name="Copy").click()
    expect(page.locator(".toolbar-status")).to_have_text(
        "Not copied: the selection is too large to copy; download it as CSV instead"
    )


def test_print_opens_the_browsers_print_dialog(stack, new_page):
    page = new_page()
    page.add_init_script("window.print = function () { window.printed = true; };")
    page.goto("/")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed") is True


def test_a_token_from_the_token_page_works_on_the_api_until_revoked(stack, new_page):
    page = new_page()
    sign_up(page, "scripter")
    page.goto("/accounts/tokens/")
    page.fill("input[name=name]", "my reduction pipeline")
    page.get_by_role("button", name="Create a token").click()
    key = page.locator("#new-key").inner_text().strip()
    assert len(key) >= 30

    # A client with no cookie, only the token.
    api = page.context.browser.new_context(base_url=stack.base_url).request
    mine = api.get("/api/v1/submissions/", headers={"Authorization": f"Token {key}"})
    assert mine.status == 200, mine.text()
    assert mine.json()["count"] == 0

    page.get_by_role("button", name="Revoke").click()
    expect(page.locator(".messages")).to_contain_text("revoked")
    refused = api.get("/api/v1/submissions/", headers={"Authorization": f"Token {key}"})
    assert refused.status == 401
    assert refused.json()["code"] == "authentication_failed"
    api.dispose()
