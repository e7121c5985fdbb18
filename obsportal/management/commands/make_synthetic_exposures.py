from django.core.management.base import BaseCommand

from obsportal import synthetic


class Command(BaseCommand):
    help = (
        "Replace the SYNTHETIC exposures (programme SYNTHETIC, ids SYNTH.*) by new ones, for "
        "benchmarks and demos: not ESO data. Real exposures are not touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=300_000)
        parser.add_argument("--targets", type=int, default=5_500)

    def handle(self, *args, count, targets, **options):
        synthetic.create(count, targets)
        self.stdout.write(f"{count} synthetic exposures of about {targets} synthetic targets")
