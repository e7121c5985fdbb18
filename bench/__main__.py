"""Run every benchmark of bench/: `python -m bench [name ...]`.

Each benchmark builds its own throw-away database (SQLite in a temporary folder unless
DATABASE_URL says otherwise) and prints its figures as ratios against a baseline measured in
the same run, never as absolute thresholds.
"""

import os
import sys
import tempfile

# pages first: it measures the real catalogue, to which csv_export and export_formats add
# 100,000 synthetic measurements.
BENCHMARKS = [
    "pages", "csv_export", "votable_writer", "export_formats", "simbad_batching",
    "obsportal_votable", "cone_search", "growth", "ingestion", "load", "oifits_fit",
]  # fmt: skip


def main(names: list[str]) -> None:
    folder = tempfile.mkdtemp(prefix="jmdc-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    for name in names or BENCHMARKS:
        module = __import__(f"bench.{name}", fromlist=["run"])
        print(f"== {name}")
        module.run()


if __name__ == "__main__":
    main(sys.argv[1:])
