"""A submitted diameter set against the disc fitted to its own OIFITS files: the finding a curator
reads. Three outcomes: consistent within 3 combined sigma; far from it (a warning to acknowledge,
both values given); or the disc does not describe the data at all (information, not a
rejection: the star shows a structure a disc cannot have, and its value is then not compared).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lib.text import WARNING

from .fit import DiscFit, Fits

INFO = "info"  # read by the curator, nothing to acknowledge

CONSISTENT = "consistent"
FAR = "far"
NOT_A_DISC = "not_a_disc"

# Within this many combined sigma, sqrt(fit error² + submitted error²), the submitted value
# agrees with its data: the catalogue's own threshold against predictions
# (jmdc.predictions.PREDICTION_SIGMAS), 1 honest value in 370 flagged were the errors Gaussian.
SIGMAS = 3.0

# sqrt(reduced chi2) is the factor by which the data's errors would have to be underestimated
# for the disc to describe them. Calibrated interferometric errors are often too small by 2 or
# 3 (calibrators' diameters, seeing between star and calibrator), so up to a reduced chi2 of 25
# (errors 5 times too small) the disc's diameter is still worth comparing, its error scaled by
# that factor: Achernar, a flattened fast rotator, gives 8.7 on its 162 PIONIER points and a
# diameter. Beyond 25 no plausible error budget saves the disc: HD 45677, a B[e] star in its
# dusty disc, gives 56 at the best diameter (and over 1000 at the diameter whose first null
# matches its long baselines).
NOT_A_DISC_CHI2 = 25.0

# Above this reduced chi2 the finding says the data deviate from a disc even when the diameter
# is compared: for the tens to hundreds of points of a file, a reduced chi2 of 3 happens by
# chance less than once in 10^5 (20 points: chi2 of 60 for 19 degrees of freedom).
LARGE_CHI2 = 3.0


@dataclass(frozen=True)
class FitFinding:
    outcome: str  # CONSISTENT, FAR or NOT_A_DISC
    severity: str  # INFO or WARNING
    column: str  # the compared column, UD_DIAM or LD_DIAM
    message: str
    fit: DiscFit
    submitted: float | None
    submitted_error: float | None
    sigmas: float | None  # |fit - submitted| / combined sigma; None when not compared


def compare(
    fit: DiscFit, column: str, submitted: float | None, submitted_error: float | None
) -> FitFinding:
    """The finding for one submitted diameter (``column``: UD_DIAM against the uniform disc,
    LD_DIAM against the limb-darkened one). An error of 0 or None counts as unknown: the fit's
    error alone then makes the sigma."""
    fitted = f"{fit.diameter:.3f} ± {fit.error:.3f} mas"
    where = (
        f"{fit.points} points, {fit.wavelength_min:.2f}-{fit.wavelength_max:.2f} µm, "
        f"reduced chi2 {fit.reduced_chi2:.3g}"
    )
    model = _model(fit)
    value = _value(submitted, submitted_error)
    if not fit.reduced_chi2 <= NOT_A_DISC_CHI2:
        compared = f"; {column} {value} is not compared with it" if submitted is not None else ""
        message = (
            f"A {model} does not describe these data: its best fit, {fitted}, leaves a reduced chi2 "
            f"of {fit.reduced_chi2:.3g} on {fit.points} points ({fit.wavelength_min:.2f}-"
            f"{fit.wavelength_max:.2f} µm). The star shows a structure a disc cannot have (an envelope, "
            f"a companion, a flattened star){compared}."
        )
        return FitFinding(NOT_A_DISC, INFO, column, message, fit, submitted, submitted_error, None)
    if submitted is None:
        raise ValueError(f"no {column} to compare with the {model} fitted.")
    error = submitted_error if submitted_error and submitted_error > 0 else 0.0
    combined = math.hypot(fit.error, error)
    sigmas = abs(fit.diameter - submitted) / combined if combined > 0 else math.inf
    deviates = (
        f" The reduced chi2 of {fit.reduced_chi2:.3g} says the data deviate from a {fit.model}: the fitted "
        f"error is scaled up by its square root."
        if fit.reduced_chi2 > LARGE_CHI2
        else ""
    )
    if sigmas <= SIGMAS:
        message = (
            f"{column} {value} is consistent with the {model} fitted to its OIFITS data, {fitted} "
            f"({sigmas:.1f} combined sigma; {where}).{deviates}"
        )
        return FitFinding(
            CONSISTENT, INFO, column, message, fit, submitted, submitted_error, sigmas
        )
    message = (
        f"{column} {value} is {sigmas:.1f} combined sigma from the {model} fitted to its OIFITS data, "
        f"{fitted} ({where}): check the value against its data, or say in NOTES why they differ.{deviates}"
    )
    return FitFinding(FAR, WARNING, column, message, fit, submitted, submitted_error, sigmas)


def compare_row(
    fits: Fits,
    ud: float | None,
    ud_error: float | None,
    ld: float | None,
    ld_error: float | None,
) -> list[FitFinding]:
    """The findings of a row: its UD against the uniform disc, its LD against the limb-darkened
    disc, each when given; a single "not a disc" finding when the row gives neither."""
    found = []
    if ud is not None:
        found.append(compare(fits.uniform, "UD_DIAM", ud, ud_error))
    if ld is not None:
        found.append(compare(fits.limb_darkened, "LD_DIAM", ld, ld_error))
    if not found and fits.uniform.reduced_chi2 > NOT_A_DISC_CHI2:
        found.append(compare(fits.uniform, "UD_DIAM", None, None))
    return found


def ud_error_of(ud: float | None, ld: float | None, e_ld: float | None) -> float | None:
    """The error a UD is compared with. The catalogue keeps one error, E_LD_DIAM; LD = UD times
    a factor fixed by the limb darkening, so the UD's relative error is the LD's: E_LD_DIAM
    scaled by UD/LD, to three significant digits, as an error is written."""
    return float(f"{e_ld * ud / ld:.3g}") if e_ld and ud is not None and ld else e_ld


def compare_diameters(
    fits: Fits, ud: float | None, ld: float | None, e_ld: float | None
) -> list[FitFinding]:
    """A row's, or a published measurement's, UD and LD with the catalogue's one error against
    the fitted discs: what the review's findings say and what the measurement's page shows,
    from this one function so that the two never disagree."""
    return compare_row(fits, ud, ud_error_of(ud, ld, e_ld), ld, e_ld)


def _model(fit: DiscFit) -> str:
    if fit.mu is None:
        return fit.model
    source = ", the default: the row gives no MU_LAMBDA" if fit.mu_is_default else ""
    return f"{fit.model} (linear limb darkening mu = {fit.mu:g}{source})"


def _value(value: float | None, error: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g} ± {error:g} mas" if error else f"{value:g} mas (no error given)"
