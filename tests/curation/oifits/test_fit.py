"""The discs fitted to the shared OIFITS files give what PROVENANCE.md says of them, and invented
points of a known limb-darkened disc give its diameter back."""

import numpy as np
import pytest

from curation.oifits.compare import NOT_A_DISC_CHI2
from curation.oifits.fit import (
    DEFAULT_MU,
    NoPoints,
    Vis2Points,
    fit_files,
    fit_limb_darkened_disc,
    fit_uniform_disc,
    limb_darkened_vis2,
    uniform_disc_vis2,
)
from tests.curation.oifits.files import ACHERNAR, HD45677, SIMULATED


def fitted(oifits_dir, *names, mu=None):
    return fit_files([(oifits_dir / name, name) for name in names], mu=mu)


def test_the_simulated_2_mas_disc_is_fitted_as_2_00_mas_with_a_reduced_chi2_near_0(oifits_dir):
    fits = fitted(oifits_dir, SIMULATED)
    assert fits.uniform.diameter == pytest.approx(2.00, abs=0.01)
    assert fits.uniform.reduced_chi2 < 1e-3
    assert fits.uniform.error_scaled is False  # a reduced chi2 below 1 does not shrink the error
    assert fits.uniform.points == 162  # 54 rows of 3 channels, none flagged
    assert (round(fits.uniform.wavelength_min, 3), round(fits.uniform.wavelength_max, 3)) == (
        1.59,
        1.768,
    )
    assert fits.targets == ("ACHERNAR",)


def test_achernar_gives_about_1_7_mas_with_its_reduced_chi2_near_9_reported(oifits_dir):
    fits = fitted(oifits_dir, ACHERNAR)
    assert fits.uniform.diameter == pytest.approx(1.71, abs=0.02)
    assert 7 < fits.uniform.reduced_chi2 < 11
    # the covariance error scaled by sqrt(reduced chi2): about 3 times the raw one
    assert fits.uniform.error_scaled is True
    assert 0.005 < fits.uniform.error < 0.02


def test_hd_45677_is_no_uniform_disc(oifits_dir):
    fits = fitted(oifits_dir, HD45677)
    assert fits.uniform.reduced_chi2 > NOT_A_DISC_CHI2
    assert fits.limb_darkened.reduced_chi2 > NOT_A_DISC_CHI2
    assert fits.targets == ("HD45677",)
    assert fits.uniform.points == 337  # 6 x 64 values, less the flagged and those without an error


def test_the_limb_darkened_disc_of_the_simulated_file_is_larger_than_its_uniform_disc(oifits_dir):
    fits = fitted(oifits_dir, SIMULATED)
    # A darkened limb shrinks the apparent disc: LD/UD = 1.026 for mu = 0.3 in the first lobe.
    assert fits.limb_darkened.mu == DEFAULT_MU and fits.limb_darkened.mu_is_default
    assert fits.limb_darkened.diameter / fits.uniform.diameter == pytest.approx(1.026, abs=0.005)


def test_several_files_of_a_row_are_fitted_together(oifits_dir):
    fits = fitted(oifits_dir, SIMULATED, ACHERNAR)
    assert fits.uniform.points == 324
    assert fits.files == (SIMULATED, ACHERNAR)
    # between the two files' diameters, pulled by both
    assert 1.71 < fits.uniform.diameter < 2.0


def invented_points(diameter, mu, frequencies, noise=0.01, seed=19):
    """INVENTED data: V2 of a limb-darkened disc at the given spatial frequencies, with
    Gaussian noise of known sigma."""
    rng = np.random.default_rng(seed)
    vis2 = limb_darkened_vis2(diameter, frequencies, mu) + rng.normal(0, noise, frequencies.size)
    wavelength = np.full(frequencies.size, 2.2e-6)
    return Vis2Points(
        vis2=vis2, error=np.full(frequencies.size, noise), u=frequencies * wavelength,
        v=np.zeros(frequencies.size), wavelength=wavelength, files=("invented",), targets=("invented",),
    )  # fmt: skip


def test_invented_points_of_a_known_limb_darkened_disc_give_its_diameter_back():
    # INVENTED: a 3.00 mas disc with mu = 0.45, 60 points from 10 to 120 Mcycles/rad (first lobe
    # and the start of the second: the first null of 3 mas falls near 90 Mcycles/rad).
    points = invented_points(3.0, 0.45, np.linspace(10e6, 120e6, 60))
    fit = fit_limb_darkened_disc(points, mu=0.45)
    assert abs(fit.diameter - 3.0) < 3 * fit.error
    assert fit.error < 0.02
    assert 0.5 < fit.reduced_chi2 < 1.6
    assert fit.mu == 0.45 and not fit.mu_is_default


def test_points_past_the_first_null_do_not_trap_the_fit_in_another_lobe():
    # INVENTED: an 8 mas uniform disc seen only on long baselines, all past its first null
    # (x from 4.5 to 9): a fit started at a small guess would settle on a wrong minimum.
    frequencies = np.linspace(4.5, 9.0, 40) / (np.pi * 8.0 * np.pi / 180 / 3600 / 1000)
    vis2 = uniform_disc_vis2(8.0, frequencies)
    wavelength = np.full(frequencies.size, 1.65e-6)
    points = Vis2Points(
        vis2,
        np.full(40, 1e-4),
        frequencies * wavelength,
        np.zeros(40),
        wavelength,
        ("invented",),
        (),
    )
    assert fit_uniform_disc(points).diameter == pytest.approx(8.0, abs=1e-3)


def test_a_mu_lambda_that_is_an_ld_ud_ratio_is_not_taken_for_a_coefficient(oifits_dir):
    with pytest.raises(ValueError, match=r"mu = 1.05 is not a linear limb-darkening coefficient"):
        fitted(oifits_dir, SIMULATED, mu=1.05)


def test_a_file_without_usable_points_says_so(broken_copy):
    def flag_everything(hdus):
        hdus["OI_VIS2"].data["FLAG"][:] = True

    path = broken_copy(ACHERNAR, flag_everything)
    with pytest.raises(
        NoPoints, match=r"^broken\.fits: no usable squared visibility \(OI_VIS2\) to fit\.$"
    ):
        fit_files([(path, "broken.fits")])


def test_the_limb_darkened_visibility_is_the_closed_form_of_hanbury_brown_et_al():
    from scipy.special import jv

    x = np.linspace(0.05, 12, 200)  # x = pi theta B / lambda, through three lobes
    diameter = 1.0
    frequency = x / (np.pi * diameter * np.pi / 180 / 3600 / 1000)
    mu = 0.6
    expected = ((1 - mu) * jv(1, x) / x + mu * np.sqrt(np.pi / 2) * jv(1.5, x) / x**1.5) / (
        (1 - mu) / 2 + mu / 3
    )
    assert np.allclose(
        limb_darkened_vis2(diameter, frequency, mu), expected**2, rtol=1e-9, atol=1e-15
    )
    # mu = 0: the uniform disc
    assert np.allclose(
        limb_darkened_vis2(diameter, frequency, 0.0), uniform_disc_vis2(diameter, frequency)
    )
