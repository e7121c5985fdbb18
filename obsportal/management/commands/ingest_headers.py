from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from obsportal.ingest import ingest_paths
from obsportal.targets import identify_targets

PATTERNS = ("*.fits", "*.fits.gz", "*.hdr", "*.hdr.txt", "*.txt")


class Command(BaseCommand):
    help = (
        "Ingest ESO exposures from FITS files or header text dumps (one card per line). "
        "Known exposures are updated, new ones created; a header that is not an "
        "interferometric science or calibrator exposure is reported with the reason, and "
        "missing keywords are logged on the exposure (validation level 0)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders")
        parser.add_argument(
            "--no-identify",
            action="store_true",
            help="do not ask SIMBAD about the targets now (the hourly task will)",
        )

    def handle(self, *args, paths, no_identify=False, **options):
        files: list[Path] = []
        for path in paths:
            if path.is_dir():
                files += sorted({f for pattern in PATTERNS for f in path.rglob(pattern)})
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{path}: no such file or folder")
        report = ingest_paths(files)
        for line in report.lines():
            self.stdout.write(line)
        if not no_identify:
            self.stdout.write(f"targets: {identify_targets()}")
