from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jmdc.importing.release_history import import_spreadsheet_versions
from jmdc.releases import ReleaseError


class Command(BaseCommand):
    help = (
        "Import the curators' spreadsheet versions of 2016-2019 (JMDC_<yyyymmdd>_<commit>.csv) "
        "as historical releases, each with its files and its changelog against the one "
        "before. Versions imported before are skipped. Default folder: "
        "<shared data>/jmdc/xls_versions_csv."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="files or folders")

    def handle(self, *args, paths, **options):
        paths = paths or [Path(settings.SHARED_DATA_DIR) / "jmdc" / "xls_versions_csv"]
        files = []
        for path in paths:
            if path.is_dir():
                files += sorted(path.glob("JMDC_*.csv"))
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{path}: no such file or folder")
        if not files:
            raise CommandError(f"No JMDC_<date>_<commit>.csv file in {', '.join(map(str, paths))}")
        try:
            results = import_spreadsheet_versions(files)
        except ReleaseError as exc:
            raise CommandError(str(exc)) from exc
        for item in results:
            if item.release is None:
                self.stdout.write(f"{item.path.name}: imported before, skipped")
                continue
            counts = item.release.changelog.get("counts")
            summary = (
                f"; against {item.release.changelog['previous']}: +{counts['added']} "
                f"-{counts['removed']} ~{counts['changed']}"
                if counts
                else ""
            )
            self.stdout.write(
                f"{item.release.version}: {item.release.row_count} rows "
                f"({item.rejected} not readable), {item.release.status}{summary}"
            )
