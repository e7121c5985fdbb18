from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from obsportal.ingest import ingest_paths

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

    def handle(self, *args, paths, **options):
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
