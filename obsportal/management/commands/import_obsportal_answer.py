from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from obsportal.legacy import NotAnAnswer, import_answer


class Command(BaseCommand):
    help = (
        "Import the exposures of answers of the original ObsPortal /search.votable (VOTable, "
        "preferably all_fields=true): a way to move its database without harvesting again. "
        "Exposures already here are left as they are; targets are identified again by SIMBAD."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, files, **options):
        for path in files:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            try:
                created, known = import_answer(path)
            except (NotAnAnswer, ValueError, SyntaxError) as exc:
                raise CommandError(f"{path}: {exc}") from None
            self.stdout.write(f"{path.name}: {created} exposures created, {known} already here")
