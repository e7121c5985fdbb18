import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jmdc.importing.catalogue_file import CatalogueFileError, import_catalogue


class Command(BaseCommand):
    help = (
        "Import a JMDC catalogue file: the portal's CSV export or a spreadsheet-era CSV "
        "(UD_MEAS/LD_MEAS/REFERENCE...). Runs in one transaction, all or nothing: if a row "
        "is refused nothing is written, unless --keep-going is given. Rows already in the "
        "catalogue are not added again. Every dubious row is reported with its line number."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Read, clean and report; write nothing."
        )
        parser.add_argument(
            "--keep-going",
            action="store_true",
            help="Import the good rows even when others are refused (reported by line).",
        )
        parser.add_argument(
            "--quiet-report",
            action="store_true",
            help="Print only the summary line, not one line per dubious row.",
        )

    def handle(
        self, *args, file: Path, dry_run: bool, keep_going: bool, quiet_report: bool, **options
    ):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        show_progress = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            if show_progress:
                self.stderr.write(f"\r  {done}/{total} rows written", ending="")

        try:
            result = import_catalogue(
                file, dry_run=dry_run, keep_going=keep_going, progress=progress
            )
        except CatalogueFileError as exc:
            raise CommandError(f"{file}: {exc}. Nothing was imported.") from exc
        if show_progress and result.added:
            self.stderr.write("")
        lines = result.report_lines()
        for line in lines[-1:] if quiet_report else lines:
            self.stdout.write(line)
        if result.refused:
            raise CommandError(
                f"{file}: {result.parsed.rejected_lines} rows refused (see above): nothing was "
                "imported. Fix them, or give --keep-going to import the other rows."
            )
