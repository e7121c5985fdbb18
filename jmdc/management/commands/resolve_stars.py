import sys

from django.core.management.base import BaseCommand, CommandError

from jmdc.identification import resolve_stars
from jmdc.models import Star
from jmdc.simbad import SimbadQueryError, SimbadUnavailable


class Command(BaseCommand):
    help = "Identify stars with SIMBAD, in batches of up to 1000 names per request."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--pending",
            action="store_true",
            help="Stars not settled yet: pending, or in error (the default).",
        )
        which.add_argument(
            "--all",
            action="store_true",
            help="Also ask again for stars not found or ambiguous (resolved ones are kept).",
        )

    def handle(self, *args, all: bool, **options):
        stars = Star.objects.exclude(status=Star.Status.RESOLVED)
        if not all:
            stars = stars.filter(status__in=[Star.Status.PENDING, Star.Status.ERROR])
        ids = list(stars.order_by("pk").values_list("pk", flat=True))
        if not ids:
            self.stdout.write("No star to resolve.")
            return
        show = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            if show:
                width = 40
                filled = int(width * done / total)
                self.stderr.write(
                    f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=""
                )

        self.stdout.write(f"Asking SIMBAD about {len(ids)} stars...")
        try:
            summary = resolve_stars(ids, progress=progress)
        except (SimbadUnavailable, SimbadQueryError) as exc:
            raise CommandError(
                f"SIMBAD failed: {exc}. The stars are marked for a later try."
            ) from exc
        if show:
            self.stderr.write("")
        self.stdout.write(str(summary))
