from django.core.management.base import BaseCommand

from curation.rules import PREDICTION_SIGMAS
from jmdc.models import Measurement
from jmdc.predictions import compare, predictions_of


def _mas(value: float, error: float | None) -> str:
    return f"{value:.3f} ± {error:.3f}" if error is not None else f"{value:.3f} (no error)"


class Command(BaseCommand):
    help = (
        "The curators' to-do list: every published row whose LD diameter (or UD converted "
        f"with its MU_LAMBDA) is further than {PREDICTION_SIGMAS:g} combined sigma from its "
        "star's photometric prediction (the JSDC's, else JMMC's cross-match): the rule "
        "submissions meet, run over the catalogue. Reports only; changes nothing."
    )

    def handle(self, *args, **options):
        measurements = Measurement.objects.select_related("star").order_by("star__name", "pk")
        predicted = predictions_of(Measurement.objects.values_list("star_id", flat=True).distinct())
        far, compared, total = [], 0, 0
        for measurement in measurements.iterator(chunk_size=2000):
            total += 1
            comparison = compare(
                ud=measurement.ud_diam,
                ld=measurement.ld_diam,
                e_ld=measurement.e_ld_diam,
                mu_lambda=measurement.mu_lambda,
                prediction=predicted.get(measurement.star_id),
            )
            if comparison is None:
                continue
            compared += 1
            if comparison.sigmas > PREDICTION_SIGMAS:
                far.append((measurement, comparison))
        write = self.stdout.write
        if far:
            write(
                "star\tmeasurement\tbibcode\tband\tcompared (mas)\tpredicted (mas)\tsigma\tsource"
                "\tJMMC's caution"
            )
        for measurement, c in far:
            if c.ud is not None:
                value = (
                    f"UD {c.ud:.3f} -> LD {_mas(c.measured, c.error)} (MU_LAMBDA {c.mu_lambda:g})"
                )
            else:
                value = f"LD {_mas(c.measured, c.error)}"
            p = c.prediction
            write(
                f"{measurement.star.name}\t{measurement.pk}\t{measurement.bibcode}\t"
                f"{measurement.band}\t{value}\t{_mas(p.ldd, p.e_ldd)}\t{c.sigmas:.1f}\t"
                f"{p.source_words}, {p.as_of:%Y-%m-%d}\t{'; '.join(p.cautions) or '-'}"
            )
        flagged = sum(1 for _, c in far if c.prediction.cautions)
        write(
            f"{len(far)} of {total} published rows are further than {PREDICTION_SIGMAS:g} "
            f"sigma from their star's prediction ({compared} could be compared: the others' "
            "star has no prediction, or the row has no LD, nor a UD with its MU_LAMBDA)."
        )
        if far:
            write(
                f"{flagged} of the {len(far)} are of stars whose prediction JMMC flags (a poor "
                "fit, a close double, a variable or binary star): look at the others first."
            )
