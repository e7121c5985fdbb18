"""Where a row's BAND sits in wavelength, as the star page's chart places it: the BAND texts
of the 2020 catalogue (a letter, a wavelength in microns, nm or Angstroem, a range, a list of
letters) and the few that name no wavelength."""

import pytest

from jmdc.columns import band_wavelength, wavelength_in_microns


@pytest.mark.parametrize(
    "band, microns",
    [
        ("K", 2.19),
        ("H", 1.63),
        ("V", 0.551),
        ("K'", 2.19),  # the prime is read as its band, as the BANDCODE rule reads it
        ("B?", 0.445),
        ("2.2", 2.2),
        ("2.2mu", 2.2),
        ("2.25 mu", 2.25),
        ("800nm", 0.8),
        ("700 nm", 0.7),
        ("441.6nm", 0.4416),
        ("4430A", 0.443),
        ("740", 0.74),  # a bare number of hundreds is nm, as the curators wrote it
        ("5500", 0.55),  # and of thousands Angstroem
        ("550..850nm", 0.7),
        ("550 to 850", 0.7),
        ("8-13", 10.5),
        ("0.6-0.8", 0.7),
        ("H,K", 1.91),  # the middle of the bands listed
        ("Halpha", 0.6563),
        ("y", 0.547),  # Stroemgren y
        ("b", 0.467),  # Stroemgren b, not Johnson B
    ],
)
def test_a_band_text_is_placed_at_its_wavelength_in_microns(band, microns):
    assert band_wavelength(band) == pytest.approx(microns)


@pytest.mark.parametrize("band", ["", "   ", "various", "K band?", "12 o'clock"])
def test_a_band_text_that_names_no_wavelength_has_none(band):
    assert band_wavelength(band) is None


def test_the_bandcode_rule_reads_a_single_wavelength_the_same_way():
    # One reading of "a number with a unit" serves the rule and the chart.
    assert wavelength_in_microns("710 mu") == 710
    assert wavelength_in_microns("725nm") == pytest.approx(0.725)
    assert wavelength_in_microns("H,K") is None
