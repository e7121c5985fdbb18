"""The curator's finding from the fit of a row's OIFITS and its submitted diameter, in the words
the review page will show."""

from curation.oifits.compare import CONSISTENT, FAR, INFO, NOT_A_DISC, compare, compare_row
from curation.oifits.fit import fit_files
from lib.text import WARNING
from tests.curation.oifits.files import ACHERNAR, HD45677, SIMULATED


def fitted(oifits_dir, name):
    return fit_files([(oifits_dir / name, name)])


def test_a_submitted_2_mas_disc_agrees_with_the_simulated_data(oifits_dir):
    (finding,) = compare_row(fitted(oifits_dir, SIMULATED), 2.0, 0.02, None, None)
    assert (finding.outcome, finding.severity, finding.column) == (CONSISTENT, INFO, "UD_DIAM")
    assert finding.message.startswith(
        "UD_DIAM 2 ± 0.02 mas is consistent with the uniform disc fitted to its OIFITS data, 2.001 ± 0.003 mas "
        "(0.0 combined sigma; 162 points, 1.59-1.77 µm, reduced chi2 "
    )


def test_achernar_compared_with_its_fitted_value_reports_the_large_reduced_chi2(oifits_dir):
    (finding,) = compare_row(fitted(oifits_dir, ACHERNAR), 1.72, 0.02, None, None)
    assert finding.outcome == CONSISTENT
    assert finding.message == (
        "UD_DIAM 1.72 ± 0.02 mas is consistent with the uniform disc fitted to its OIFITS data, 1.711 ± 0.009 mas "
        "(0.4 combined sigma; 162 points, 1.59-1.77 µm, reduced chi2 8.74). The reduced chi2 of 8.74 says the "
        "data deviate from a uniform disc: the fitted error is scaled up by its square root."
    )


def test_a_diameter_far_from_its_data_is_a_warning_giving_both_values(oifits_dir):
    fits = fitted(oifits_dir, ACHERNAR)
    ud, ld = compare_row(fits, 2.5, 0.05, 2.6, None)
    assert (ud.outcome, ud.severity, round(ud.sigmas, 1)) == (FAR, WARNING, 15.5)
    assert ud.message.startswith(
        "UD_DIAM 2.5 ± 0.05 mas is 15.5 combined sigma from the uniform disc fitted to its OIFITS data, "
        "1.711 ± 0.009 mas (162 points, 1.59-1.77 µm, reduced chi2 8.74): check the value against its data, "
        "or say in NOTES why they differ."
    )
    assert ld.message.startswith(
        "LD_DIAM 2.6 mas (no error given) is 91.2 combined sigma from the limb-darkened disc (linear limb "
        "darkening mu = 0.3, the default: the row gives no MU_LAMBDA) fitted to its OIFITS data, 1.752 ± 0.009 mas"
    )


def test_hd_45677_is_not_a_uniform_disc_and_its_value_is_not_compared(oifits_dir):
    (finding,) = compare_row(fitted(oifits_dir, HD45677), 1.0, 0.1, None, None)
    assert (finding.outcome, finding.severity, finding.sigmas) == (NOT_A_DISC, INFO, None)
    assert finding.message == (
        "A uniform disc does not describe these data: its best fit, 22.735 ± 0.197 mas, leaves a reduced chi2 of "
        "55.9 on 337 points (2.82-4.18 µm). The star shows a structure a disc cannot have (an envelope, a "
        "companion, a flattened star); UD_DIAM 1 ± 0.1 mas is not compared with it."
    )


def test_a_row_without_diameters_still_learns_that_its_data_are_no_disc(oifits_dir):
    assert [
        f.outcome for f in compare_row(fitted(oifits_dir, HD45677), None, None, None, None)
    ] == [NOT_A_DISC]
    assert compare_row(fitted(oifits_dir, SIMULATED), None, None, None, None) == []


def test_an_error_of_zero_counts_as_no_error(oifits_dir):
    fit = fitted(oifits_dir, SIMULATED).uniform
    assert compare(fit, "UD_DIAM", 2.0, 0.0).sigmas == compare(fit, "UD_DIAM", 2.0, None).sigmas
