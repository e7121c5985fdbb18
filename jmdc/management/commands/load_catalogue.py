import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from jmdc.importing.catalogue_file import CatalogueFileError, import_catalogue
from jmdc.importing.crossmatch import CrossmatchFileError, CrossmatchRefused, import_crossmatch
from jmdc.importing.release_history import import_spreadsheet_versions
from jmdc.importing.vizier import VIZIER_TABLE, fetch_vizier_catalogue
from jmdc.models import Measurement, Release, SourceFacts

SNAPSHOT = Path("jmdc") / "JMDC_full_20200730.csv"
HISTORY = Path("jmdc") / "xls_versions_csv"
# JMMC's own cross-match of that snapshot's stars (its PROVENANCE.md): made by SearchCal, the
# file of commit 8f755a1 of 2020-09-09, which is the date its facts are shown with.
CROSSMATCH = Path("jmdc") / "crossmatch" / "JMDC_full_20200730_crossmatch.csv"
CROSSMATCH_DATE = datetime.date(2020, 9, 9)
CROSSMATCH_REFERENCE = (
    "JMMC SearchCal, JMDC_full_20200730_final_lddUpdated.fits, commit "
    "8f755a111fc7da2c682e8220e645e6070ccf9f3f"
)


class Command(BaseCommand):
    help = (
        "Seed an empty catalogue for a developer's portal: from the shared 2020 snapshot when "
        "present, otherwise from VizieR II/345 when the network allows, otherwise leave it "
        "empty and say how to import. Does nothing if the catalogue already has rows. The "
        "shared 2016-2019 spreadsheet versions, when present, become the historical releases; "
        "the shared 2020 cross-match, when present, gives the stars their positions, catalogue "
        "numbers, spectral types and magnitudes (as the cross-match's, not SIMBAD's)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-network", action="store_true", help="Do not try VizieR.")

    def handle(self, *args, no_network: bool, **options):
        self.load_release_history()
        self.load_catalogue(no_network)
        self.load_crossmatch()

    def load_catalogue(self, no_network: bool) -> None:
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

    def load_crossmatch(self) -> None:
        """After the catalogue, whose stars it describes; once (a developer's later imports of
        another cross-match are not overwritten by each `make run`)."""
        path = Path(settings.SHARED_DATA_DIR) / CROSSMATCH
        if not path.is_file() or not Measurement.objects.exists():
            return
        done = SourceFacts.objects.filter(source=SourceFacts.Source.CROSSMATCH).count()
        if done:
            self.stdout.write(
                f"{done} stars already have cross-match facts: cross-match not loaded."
            )
            return
        try:
            result = import_crossmatch(path, as_of=CROSSMATCH_DATE, reference=CROSSMATCH_REFERENCE)
        except (CrossmatchFileError, CrossmatchRefused) as exc:
            problems = getattr(exc, "problems", [])
            self.stdout.write(f"{path} could not be loaded ({exc}): {'; '.join(problems[:5])}")
            return
        self.stdout.write(f"Loaded {path}: {result.report_lines()[-1]}")
