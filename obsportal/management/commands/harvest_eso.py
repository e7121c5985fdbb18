from django.core.management.base import BaseCommand, CommandError

from obsportal.harvest import HarvestBusy, run_harvest, start_run
from obsportal.targets import identify_targets


class Command(BaseCommand):
    help = (
        "Harvest the ESO archive now, in this process: the interferometric science and "
        "calibrator files changed since the last harvest reached, page by page (each page "
        "committed with its mark), then identify the new targets with SIMBAD. The same as the "
        "daily task and the 'Harvest now' button of /harvests/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, help="stop after this many files")
        parser.add_argument(
            "--no-identify", action="store_true", help="leave the targets to the hourly task"
        )

    def handle(self, *args, limit=None, no_identify=False, **options):
        try:
            run = start_run("manage.py harvest_eso")
        except HarvestBusy as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"harvest {run.pk}: from {run.since_modified} {run.since_dp_id}".rstrip())
        run = run_harvest(run, max_files=limit)
        self.stdout.write(
            f"{run.done} of {run.total} files read: {run.created} exposures created, "
            f"{run.updated} updated, {run.skipped} not exposures; reached {run.reached_modified}"
        )
        for line in run.skipped_log:
            self.stdout.write(f"not an exposure: {line}")
        if not no_identify and (run.created or run.updated):
            self.stdout.write(f"targets: {identify_targets()}")
        if run.status != run.Status.DONE:
            raise CommandError(run.error)
