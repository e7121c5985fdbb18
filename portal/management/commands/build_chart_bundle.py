"""Write the browser's chart bundle (vega, vega-lite, vega-embed) into the static files.

Run by `make setup` (so `make run`, `make test` and the stack have it) and by the Dockerfile
before collectstatic. The bundle is generated from the pinned vl-convert-python, not committed:
its version is the package's, recorded beside it in VERSIONS.txt."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from lib.charts import BUNDLE, BUNDLE_VERSIONS, bundle


class Command(BaseCommand):
    help = "Write static/vendor/vega/vega-bundle.js from the installed vl-convert-python."

    def handle(self, *args, **options):
        root = Path(settings.BASE_DIR) / "static"
        source, versions = bundle()
        target = root / BUNDLE
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written whole then renamed, so a server reading the static files never sees half a file.
        partial = target.with_suffix(".partial")
        partial.write_text(source, encoding="utf-8")
        partial.replace(target)
        (root / BUNDLE_VERSIONS).write_text(versions, encoding="utf-8")
        self.stdout.write(
            f"wrote {target} ({len(source) // 1024} KiB): " + versions.replace("\n", "; ")
        )
