"""A star's predicted diameter: what photometry says its limb-darkened diameter should be, so
that a measured one far from it is looked at twice.

Which prediction a star has (``predictions_of``, ``prediction_of``): the JSDC's (VizieR
II/346, asked when SIMBAD has placed the star, kept as ``SourceFacts(source=jsdc)``), else the
LDD of JMMC's 2020 cross-match (``SourceFacts(source=crossmatch)``, SearchCal's estimate: the
prediction a machine without network still has). Fetching the JSDC's (``fetch_predictions``)
asks VizieR once per batch of stars and once per star: a star the JSDC does not know is
recorded as such and not asked again.
"""

from __future__ import annotations

import datetime
import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .jsdc import CATALOGUE, MATCH_RADIUS_ARCSEC, JsdcClient, VizierUnavailable, get_client
from .models import SourceFacts, Star

logger = logging.getLogger(__name__)

# The sources of a prediction, the preferred first.
PREFERENCE = (SourceFacts.Source.JSDC, SourceFacts.Source.CROSSMATCH)
# How the findings and the pages name each source.
SOURCE_WORDS = {
    SourceFacts.Source.JSDC: "the JSDC (VizieR II/346)",
    # The cross-match's date follows these words wherever they are written (as of ...), so they
    # name no year: another cross-match file is another date.
    SourceFacts.Source.CROSSMATCH: "JMMC's cross-match (SearchCal)",
}


# The CalFlag bits in the ReadMe of II/346 (note 3), in an astronomer's words.
CAUTIONS = (
    (1, "its photometric fit is poor (chi2 above 5)"),
    (2, "it is a close double in the WDS (under 1 arcsec)"),
    (4, "SIMBAD types it as variable or binary (pulsating, Mira, Cepheid, SB...)"),
)


@dataclass(frozen=True)
class Prediction:
    ldd: float  # mas
    e_ldd: float  # mas
    source: str  # a SourceFacts.Source value
    as_of: datetime.date
    reference: str = ""
    cal_flag: int | None = None  # the JSDC's CalFlag bits, where the source gives them

    @property
    def source_words(self) -> str:
        return SOURCE_WORDS.get(self.source, self.source)

    @property
    def cautions(self) -> list[str]:
        """Why JMMC itself is cautious about this prediction (the JSDC's CalFlag bits, II/346
        note 3): a diameter far from a flagged prediction is often the star's nature, not a
        typing error (a Mira, a close pair)."""
        flag = self.cal_flag or 0
        return [words for bit, words in CAUTIONS if flag & bit]

    def __str__(self) -> str:
        return f"{self.ldd:.3f} ± {self.e_ldd:.3f} mas"


def predictions_of(star_ids: Iterable[int]) -> dict[int, Prediction]:
    """The prediction of each of these stars that has one, in one query."""
    ids = {pk for pk in star_ids if pk is not None}
    if not ids:
        return {}
    facts = SourceFacts.objects.filter(
        star_id__in=ids, source__in=PREFERENCE, ldd__isnull=False, e_ldd__isnull=False
    ).values_list("star_id", "source", "ldd", "e_ldd", "as_of", "reference", "cal_flag")
    rank = {source: position for position, source in enumerate(PREFERENCE)}
    best: dict[int, Prediction] = {}
    for star_id, source, ldd, e_ldd, as_of, reference, cal_flag in facts:
        current = best.get(star_id)
        if current is None or rank[source] < rank[current.source]:
            best[star_id] = Prediction(ldd, e_ldd, source, as_of, reference, cal_flag)
    return best


def prediction_of(star: Star) -> Prediction | None:
    return predictions_of([star.pk]).get(star.pk)


def prediction_among(facts: Iterable[SourceFacts]) -> Prediction | None:
    """The prediction of a star whose sources' facts the caller already holds (the star page
    has them for its table of sources): the same choice as ``predictions_of``, no query."""
    usable = [
        f for f in facts if f.source in PREFERENCE and f.ldd is not None and f.e_ldd is not None
    ]
    if not usable:
        return None
    best = min(usable, key=lambda f: PREFERENCE.index(f.source))
    return Prediction(best.ldd, best.e_ldd, best.source, best.as_of, best.reference, best.cal_flag)


# -- the physics of the comparison ----------------------------------------------------------
def ld_ud_ratio(mu_lambda: float) -> float | None:
    """LD/UD for a row's MU_LAMBDA (jmdc/columns.py: below 1 a linear limb-darkening
    coefficient u, 1 or more the ratio itself). For u, the ratio of the diameters that give the
    same visibility near the first lobe, Hanbury Brown, Davis, Lake & Thompson 1974, MNRAS 167,
    475: LD/UD = sqrt((1 - u/3) / (1 - 7u/15)). None where it has no meaning."""
    if mu_lambda is None or mu_lambda < 0:
        return None
    if mu_lambda >= 1:
        return mu_lambda
    return math.sqrt((1 - mu_lambda / 3) / (1 - 7 * mu_lambda / 15))


# Further than this many combined sigma from the star's photometric prediction, a measured
# diameter is looked at twice. Were the errors Gaussian, 3 sigma would flag 1 honest
# measurement in 370; on the 2020 catalogue it flags 140 of the 957 rows that can be compared
# (many of them Miras and close pairs, which the finding names from JMMC's own flags): the
# systematics dominate, and the warning asks a curator to look, not to refuse. Here, not in
# curation's rules, so that the catalogue's own pages (/statistics) mark the same rows the rule
# flags (curation.rules imports it).
PREDICTION_SIGMAS = 3.0


@dataclass(frozen=True)
class Comparison:
    """A measured LD diameter (or a UD converted to one) against the star's prediction."""

    column: str  # the column the compared value comes from: LD_DIAM or UD_DIAM
    measured: float  # the LD diameter compared (converted from UD when column is UD_DIAM)
    error: float | None  # its error (mas), None when the row gives none
    prediction: Prediction
    sigmas: float  # |measured - predicted| / sqrt(error² + predicted error²)
    ud: float | None = None  # the UD converted, and the MU_LAMBDA that converted it
    mu_lambda: float | None = None


def compare(
    *,
    ud: float | None,
    ld: float | None,
    e_ld: float | None,
    mu_lambda: float | None,
    prediction: Prediction | None,
) -> Comparison | None:
    """How far a row's LD diameter is from the prediction, in combined sigma; None where
    there is nothing to compare (no prediction, no LD and no UD with its MU_LAMBDA, or no
    error on either side)."""
    if prediction is None:
        return None
    error = e_ld if e_ld is not None and e_ld > 0 else None
    if ld is not None and ld > 0:
        column, measured, converted_from = "LD_DIAM", ld, None
    elif ud is not None and ud > 0 and (ratio := ld_ud_ratio(mu_lambda)) is not None:
        # E_LD_DIAM is the error of the diameter given: it scales with the conversion.
        column, measured, converted_from = "UD_DIAM", ud * ratio, ud
        error = error * ratio if error is not None else None
    else:
        return None
    combined = math.hypot(error or 0.0, prediction.e_ldd)
    if combined <= 0:
        return None
    sigmas = abs(measured - prediction.ldd) / combined
    return Comparison(
        column, measured, error, prediction, sigmas, converted_from,
        mu_lambda if converted_from is not None else None,
    )  # fmt: skip


# -- asking the JSDC ------------------------------------------------------------------------
def stars_without_jsdc_answer() -> Iterable[Star]:
    """Stars SIMBAD has placed whose JSDC answer (a prediction, or "not in the JSDC") the
    portal does not have yet."""
    return (
        Star.objects.filter(status=Star.Status.RESOLVED, ra__isnull=False, dec__isnull=False)
        .exclude(source_facts__source=SourceFacts.Source.JSDC)
        .order_by("pk")
    )


def fetch_predictions(star_ids: Iterable[int], *, client: JsdcClient | None = None) -> list[int]:
    """Ask the JSDC about these stars (those placed by SIMBAD and not asked yet) in one
    request per batch, and keep its answer per star, the absence of a diameter included so
    that the star is not asked again. Returns the ids of the stars that got a prediction.
    ``VizierUnavailable`` propagates, nothing recorded: the stars are asked again later."""
    stars = list(stars_without_jsdc_answer().filter(pk__in=list(star_ids)))
    if not stars:
        return []
    client = client or get_client()
    entries = client.entries([(star.ra, star.dec) for star in stars])
    today = timezone.localdate()
    predicted = []
    # The answers in one transaction, after the requests: all of them kept, or none (and the
    # sweep asks again); never a transaction held open while VizieR is asked.
    with transaction.atomic():
        for star, entry in zip(stars, entries, strict=True):
            if entry is None:
                reference = f"VizieR {CATALOGUE}: no star within {MATCH_RADIUS_ARCSEC:g} arcsec"
            elif entry.ldd is None:
                reference = f"VizieR {CATALOGUE}: {entry.name}, without a diameter estimate"
            else:
                reference = f"VizieR {CATALOGUE}: {entry.name}"
                predicted.append(star.pk)
            SourceFacts.objects.update_or_create(
                star=star,
                source=SourceFacts.Source.JSDC,
                defaults={
                    "as_of": today,
                    "reference": reference,
                    "queried_as": f"{star.ra:.6f} {star.dec:+.6f}",
                    "ldd": entry.ldd if entry else None,
                    "e_ldd": entry.e_ldd if entry and entry.ldd is not None else None,
                    "cal_flag": entry.cal_flag if entry else None,
                },
            )
    return predicted


def fetch_predictions_softly(star_ids: Iterable[int]) -> list[int]:
    """``fetch_predictions`` after an identification: VizieR being down must never undo or
    delay what SIMBAD said; the periodic sweep (jmdc.tasks.sweep_missing_predictions) asks
    again later."""
    try:
        return fetch_predictions(star_ids)
    except VizierUnavailable as exc:
        logger.warning("JSDC predictions left for the sweep: %s", exc)
        return []
