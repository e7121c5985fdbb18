"""Where the end-to-end tests keep what a reader looks at: the screenshots the notes name, and
those conftest.py takes of failing tests."""

from pathlib import Path

from django.conf import settings

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "e2e"
