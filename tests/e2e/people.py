"""The people of the end-to-end tests: each signs up through the portal's own page."""

import re
import uuid

from playwright.sync_api import expect

PASSWORD = "e2e-Pass-phrase-42"  # a test user's, on a throwaway stack


def sign_up(page, role: str) -> str:
    username = f"{role}-{uuid.uuid4().hex[:8]}"
    page.goto("/accounts/signup/")
    page.fill("#id_username", username)
    page.fill("#id_email", f"{username}@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name=re.compile("sign up", re.I)).click()
    expect(page.locator(".messages")).to_contain_text(f"Welcome, {username}")
    return username
