from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from jmdc.importing.catalogue_file import CatalogueFileError, import_catalogue
from jmdc.importing.release_history import import_spreadsheet_versions
from jmdc.importing.vizier import VIZIER_TABLE, fetch_vizier_catalogue
from jmdc.models import Measurement, Release

SNAPSHOT = Path("jmdc") / "JMDC_full_20200730.csv"
HISTORY = Path("jmdc") / "xls_versions_csv"


class Command(BaseCommand):
    help = (
        "Seed an empty catalogue for a developer's portal: from the shared 2020 snapshot when "
        "present, otherwise from VizieR II/345 when the network allows, otherwise leave it "
        "empty and say how to import. Does nothing if the catalogue already has rows. The "
        "shared 2016-2019 spreadsheet versions, when present, become the historical releases."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-network", action="store_true", help="Do not try VizieR.")

    def handle(self, *args, no_network: bool, **options):
        self.load_release_history()
        count = Measurement.objects.count()
        if count:
            self.stdout.write(f"The catalogue already has {count} measurements: nothing loaded.")
            return
        snapshot = Path(settings.SHARED_DATA_DIR) / SNAPSHOT
        if snapshot.is_file():
            result = import_catalogue(snapshot)
            self.stdout.write(f"Loaded {snapshot}: {result.report_lines()[-1]}")
            return
        if not no_network:
            self.stdout.write(f"{snapshot} is absent; asking VizieR for {VIZIER_TABLE}...")
            try:
                data = fetch_vizier_catalogue()
                result = import_catalogue(Path("vizier-II_345.csv"), data=data)
            except (OSError, LookupError, CatalogueFileError, ValueError) as exc:
                self.stdout.write(f"VizieR could not be read ({exc.__class__.__name__}: {exc}).")
            else:
                self.stdout.write(f"Loaded VizieR {VIZIER_TABLE}: {result.report_lines()[-1]}")
                return
        self.stdout.write(
            "The catalogue is empty. Import a JMDC file with:\n"
            "    .venv/bin/python manage.py import_jmdc PATH/TO/JMDC.csv"
        )

    def load_release_history(self) -> None:
        folder = Path(settings.SHARED_DATA_DIR) / HISTORY
        if Release.objects.exists() or not folder.is_dir():
            return
        results = import_spreadsheet_versions(sorted(folder.glob("JMDC_*.csv")))
        self.stdout.write(f"Loaded {len(results)} historical releases from {folder}.")
