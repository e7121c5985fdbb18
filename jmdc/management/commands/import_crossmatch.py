import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jmdc.importing.crossmatch import CrossmatchFileError, CrossmatchRefused, import_crossmatch


def iso_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of {text!r}: write the date as YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "Import a cross-match table of the catalogue's stars (ID1, SIMBAD, RAJ2000, DEJ2000, HD, "
        "HIP, _2MASS, GAIA, SPTYPE, OBJTYPES, V, J, H, K, TEFF, LDD, E_LDD, DIAM_VK, E_DIAM_VK, "
        "CALFLAG) as what that cross-match says of each star, dated. Stars are found by name; "
        "a name not in the catalogue is reported and skipped. One transaction: if a row is "
        "refused nothing is imported. Importing again replaces the cross-match's facts of the "
        "stars the file describes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as-of",
            required=True,
            help="The date the cross-match was made (YYYY-MM-DD), shown beside its facts.",
        )
        parser.add_argument(
            "--reference",
            default="",
            help="Where the table comes from beyond its file name (e.g. a SearchCal commit).",
        )

    def handle(self, *args, file: Path, as_of: str, reference: str, **options):
        date = iso_date(as_of)
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            result = import_crossmatch(file, as_of=date, reference=reference)
        except CrossmatchFileError as exc:
            raise CommandError(f"{file}: {exc}. Nothing was imported.") from exc
        except CrossmatchRefused as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{file}: {len(exc.problems)} row problem{'s' if len(exc.problems) != 1 else ''} "
                "(see above): nothing was imported. Fix them and import the file again."
            ) from exc
        for line in result.report_lines():
            self.stdout.write(line)
