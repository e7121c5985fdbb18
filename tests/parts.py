"""Parts a test may need that a developer's machine may lack (../shared, PostgreSQL, Redis, a
browser). Under CI=true a test that needs a missing part fails instead of skipping: CI always
has them, so a skip there would hide a fault."""

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def missing_part(reason: str) -> None:
    """Skip on a developer's machine, fail in CI, where every part is installed."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: every part must be present)")
    pytest.skip(reason)
