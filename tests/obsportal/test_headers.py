"""The header mapping on every real ESO header of ../shared/obsportal/headers."""

import pytest

from obsportal.headers import NotAnExposure, baselines_string, keywords_of, map_header
from tests.obsportal.builders import PIONIER_KEYWORDS

pytestmark = pytest.mark.filterwarnings("ignore::astropy.utils.exceptions.AstropyWarning")


@pytest.fixture
def headers(shared_dir):
    return shared_dir / "obsportal" / "headers"


def record(headers, name):
    return map_header(keywords_of(headers / name))


def test_every_real_header_becomes_an_exposure(headers):
    files = sorted(headers.iterdir())
    assert len(files) == 5
    for path in files:
        exposure = map_header(keywords_of(path))
        assert exposure.category == "science", path.name
        assert exposure.interferometer == "VLTI" and exposure.ra is not None
        assert exposure.mjd_end - exposure.mjd_start > 1 / 86400, path.name
        assert len(exposure.stations.split()) == 4 and len(exposure.baselines) == 6


def test_a_complete_pionier_raw_header(headers):
    e = record(headers, "PIONI.2017-12-23T05-46-54.265.primary.hdr.txt")
    assert (e.exp_id, e.header_id) == (
        "PIONI.2017-12-23T05:46:54.265_1",
        "PIONI.2017-12-23T05:46:54.265",
    )
    assert (e.instrument, e.mode, e.stations) == ("PIONIER", "GRISM-H", "K0 G2 D0 J3")
    assert (e.program, e.obs_id, e.target_name) == ("0100.C-0354(E)", 1797444, "HD45677")
    assert e.mjd_start == pytest.approx(58110.2379691531)
    assert (e.mjd_end - e.mjd_start) * 86400 == pytest.approx(256.000003814697)
    assert (e.tau0, e.seeing, e.temperature) == (
        pytest.approx(0.011274),
        pytest.approx(0.34),
        13.69,
    )
    assert e.baselines["K0-G2"] == {"length": [67.088, 67.031], "angle": [274.1, 274.2]}
    assert (e.validation_level, e.validation_log) == (1, [])
    assert baselines_string(e.baselines).startswith(
        "{'K0-G2': {'length': {'start': '67.0880', 'end': '67.0310'}, 'angle': {'start': '274.1000'"
    )


def test_a_gravity_product_keeps_its_exposure_and_logs_what_the_pipeline_removed(headers):
    e = record(headers, "GRAVI.2020-01-27T03-39-22.003.product-primary.hdr.txt")
    assert (e.mode, e.submode, e.category) == ("HIGH-COMBINED", "SINGLE", "science")
    assert e.validation_level == 0
    assert e.validation_log[0].startswith(
        "Missing 'HIERARCH ESO DPR CATG'; science from the OB name"
    )
    assert "Missing 'EXPTIME'; duration from DET2 DIT x NDIT (300 s)" in e.validation_log
    assert e.tau0 == pytest.approx((0.009882 + 0.009598) / 2)


def test_the_fits_file_and_its_text_dump_give_the_same_matisse_exposure(headers):
    from_fits = record(headers, "MATIS_target_raw.fits")
    from_text = record(headers, "MATIS.2025-05-19T00-43-54.470.primary.hdr.txt")
    assert from_fits == from_text
    assert from_fits.program == "115.2810.005" and from_fits.mode == ""  # mapping unknown
    assert from_fits.setup["INS.DIL.NAME"] == "LOW" and from_fits.setup["DET.NAME"] == "MATISSE-LM"


def test_a_calibrator_with_every_keyword_is_complete():
    e = map_header(PIONIER_KEYWORDS)
    assert (e.category, e.mode, e.validation_level) == ("calibrator", "FREE-H", 1)
    assert e.tau0 == pytest.approx(0.005) and e.seeing == pytest.approx(0.9)


@pytest.mark.parametrize("ra, dec", [(0.0, 0.0), (None, None), (10.0, None)])
def test_a_missing_or_zero_position_is_flagged_not_dropped(ra, dec):
    keywords = {**PIONIER_KEYWORDS, "RA": ra, "DEC": dec}
    e = map_header(keywords)
    assert e.ra is None and e.dec is None and e.validation_level == 0
    assert any(line.startswith("Invalid position") for line in e.validation_log)


def test_each_missing_keyword_is_named_in_the_log():
    keywords = {
        k: v for k, v in PIONIER_KEYWORDS.items() if k not in ("ISS.AMBI.TEMP", "ISS.PBLA12.END")
    }
    e = map_header(keywords)
    assert e.validation_level == 0 and e.temperature is None
    assert "Missing 'HIERARCH ESO ISS AMBI TEMP'" in e.validation_log
    assert "Missing 'HIERARCH ESO ISS PBLA12 END'" in e.validation_log
    assert baselines_string(e.baselines).endswith("'angle': {'start': '5.0000', 'end': None}}}")


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"DPR.TECH": "IMAGE"}, "not interferometry"),
        ({"DPR.CATG": "ACQUISITION", "DPR.TYPE": "OBJECT"}, "neither science nor a calibrator"),
        ({"MJD-OBS": None}, "no MJD-OBS"),
        ({"ARCFILE": None}, "no ARCFILE"),
    ],
)
def test_what_is_not_an_exposure_says_why(changes, reason):
    with pytest.raises(NotAnExposure, match=reason):
        map_header({**PIONIER_KEYWORDS, **changes})


@pytest.mark.parametrize("value", ["nan", "NaN", float("nan"), float("inf"), "-inf", "1e999"])
def test_a_number_that_is_not_finite_is_logged_as_such_and_stored_as_missing(value):
    """A card of NaN or infinity (invented) is no length, angle or temperature: kept as none,
    named in the log, and never written into the baselines' JSON, which NaN would break."""
    e = map_header({**PIONIER_KEYWORDS, "ISS.PBL12.START": value, "ISS.AMBI.TEMP": value})
    assert e.validation_level == 0 and e.temperature is None
    assert e.baselines["A0-B2"]["length"] == [None, 11.0]
    assert f"'HIERARCH ESO ISS AMBI TEMP' = {value!r} is not a finite number" in e.validation_log
    assert f"'HIERARCH ESO ISS PBL12 START' = {value!r} is not a finite number" in e.validation_log
