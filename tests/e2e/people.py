"""The people of the end-to-end tests: each signs up through the portal's own page and
confirms the address by following the link of the e-mail, as a person would."""

import os
import re
import tempfile
import time
import uuid
from pathlib import Path

from playwright.sync_api import expect

PASSWORD = "e2e-Pass-phrase-42"  # a test user's, on a throwaway stack
# The stack writes each e-mail as a file here (EMAIL_FILE_PATH, set by conftest.py).
MAIL_DIR = Path(tempfile.gettempdir()) / f"jmdc-e2e-mail-{os.getpid()}"


def sign_up(page, role: str) -> str:
    username = f"{role}-{uuid.uuid4().hex[:8]}"
    address = f"{username}@example.org"
    page.goto("/accounts/signup/")
    page.fill("#id_username", username)
    page.fill("#id_email", address)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name=re.compile("sign up", re.I)).click()
    expect(page.locator(".messages")).to_contain_text(f"Welcome, {username}")
    page.goto(verification_link(address))
    expect(page.locator(".messages")).to_contain_text(f"Thank you: {address} is confirmed.")
    return username


def verification_link(address: str, wait_seconds: float = 30) -> str:
    """The path of the link in the last e-mail sent to this address. The stack's worker sends
    it after the sign-up page has answered: wait for the file."""
    deadline = time.monotonic() + wait_seconds
    while True:
        for path in sorted(
            MAIL_DIR.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True
        ):  # fmt: skip
            text = path.read_text()
            if f"To: {address}" in text and (
                match := re.search(r"https?://\S+?(/accounts/verify/\S+/)", text)
            ):
                return match[1]
        if time.monotonic() > deadline:
            raise AssertionError(f"no verification e-mail to {address} in {MAIL_DIR}")
        time.sleep(0.2)
