import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from curation import services
from jmdc.releases import ReleaseError, build
from lib.text import clean_paragraphs


class Command(BaseCommand):
    help = (
        "Cut a release of the catalogue: freeze the public measurements as VERSION and write "
        "its bundle (ReadMe, jmdc.dat, CSV, Excel, VOTable, SHA256SUMS) in this process. "
        "The same service as the web action: the user must be a catalogue manager."
    )

    def add_arguments(self, parser):
        parser.add_argument("version", help="e.g. 2026.1")
        parser.add_argument("--user", required=True, help="username of the manager cutting it")
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="default: today")
        parser.add_argument("--notes", default="", help="what this release is about")

    def handle(self, *args, version, user, date, notes, **options):
        actor = get_user_model().objects.filter(username=user).first()
        if actor is None:
            raise CommandError(f"No user {user!r}.")
        try:
            release = services.cut_release(
                actor=actor, version=version, date=date, notes=notes, build=False
            )
        except (ReleaseError, PermissionDenied) as exc:
            raise CommandError(f"{exc} Nothing was released.") from exc
        self.stdout.write(f"{release.version}: {release.row_count} rows frozen")
        for finding in clean_paragraphs(notes).findings:  # stored cleaned: say what went
            self.stdout.write(f"Release notes: {finding.message}.")
        result = build(
            release.pk, report=lambda pct, stage: self.stdout.write(f"  {pct:3d}% {stage}")
        )
        release = result.release
        if release.status != release.Status.READY:
            raise CommandError(
                f"{release.version}: the build failed: {release.error}. The rows stay frozen; "
                "build again from the release page once the cause is fixed."
            )
        for file in release.files.all():
            self.stdout.write(f"  {file.sha256}  {file.name} ({file.size} bytes)")
        counts = release.changelog.get("counts")
        if counts:
            self.stdout.write(
                f"against {release.changelog['previous']}: {counts['added']} added, "
                f"{counts['removed']} removed, {counts['changed']} changed"
            )
