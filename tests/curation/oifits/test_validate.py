"""Each shared file read against its standard, and broken copies of them (written here with
astropy) refused or warned with the precise problem: file, table, column, row."""

import numpy as np
from astropy.io import fits

from curation.oifits.fit import fit_files
from curation.oifits.validate import Problem, validate
from lib.text import ERROR, WARNING
from tests.curation.oifits.files import ACHERNAR, HD45677, SIMULATED

PIONIER = "INSNAME PIONIER_Pnat(1.5900000/1.7679999)"


def test_the_three_shared_files_are_accepted_with_their_revision(oifits_dir):
    assert [(v.revision, v.refused) for v in map(validate, [oifits_dir / n for n in (SIMULATED, ACHERNAR, HD45677)])] == [
        (1, False), (1, False), (2, False),
    ]  # fmt: skip


def test_the_deviations_of_real_files_are_warnings_naming_table_and_column(oifits_dir):
    achernar = validate(oifits_dir / ACHERNAR)
    assert achernar.problems == [
        Problem(ACHERNAR, f"OI_T3 (HDU 5, EXTVER 1, {PIONIER})", "T3PHI", None,
                "has no unit (TUNIT); the standard fixes deg: read as deg.", WARNING),
        Problem(ACHERNAR, f"OI_T3 (HDU 5, EXTVER 1, {PIONIER})", "T3PHIERR", None,
                "has no unit (TUNIT); the standard fixes deg: read as deg.", WARNING),
    ]  # fmt: skip
    matisse = [str(p) for p in validate(oifits_dir / HD45677).problems]
    assert (
        f"{HD45677}, primary header, keyword INSMODE: missing from the primary header, which OIFITS 2 requires."
        in matisse
    )
    assert (
        f"{HD45677}, OI_VIS2 (HDU 4, EXTVER 1, INSNAME MATISSE), column VIS2ERR, row 3: "
        "unflagged values without a finite positive error: left out of the fit."
    ) in matisse


def test_a_file_without_oi_wavelength_is_refused_and_its_vis2_has_no_wavelength(broken_copy):
    path = broken_copy(ACHERNAR, lambda hdus: hdus.pop(hdus.index_of("OI_WAVELENGTH")))
    found = validate(path, "achernar.fits")
    assert found.refused
    assert [str(p) for p in found.errors] == [
        "achernar.fits: achernar.fits has no OI_WAVELENGTH table, which every OIFITS file must have.",
        f"achernar.fits, OI_VIS2 (HDU 3, EXTVER 1, {PIONIER}), keyword INSNAME: INSNAME "
        "'PIONIER_Pnat(1.5900000/1.7679999)' names no OI_WAVELENGTH table (those of the file: none): "
        "its points have no wavelength.",
    ]


def test_a_nan_or_zero_wavelength_is_refused_row_by_row(broken_copy):
    def spoil(hdus):
        hdus["OI_WAVELENGTH"].data["EFF_WAVE"][1] = np.nan
        hdus["OI_WAVELENGTH"].data["EFF_WAVE"][2] = 0

    found = validate(broken_copy(SIMULATED, spoil), "ud2.fits")
    table = f"OI_WAVELENGTH (HDU 3, EXTVER 1, {PIONIER})"
    assert found.errors == [
        Problem(
            "ud2.fits",
            table,
            "EFF_WAVE",
            2,
            "EFF_WAVE is nan: a wavelength must be positive.",
            ERROR,
        ),
        Problem(
            "ud2.fits",
            table,
            "EFF_WAVE",
            3,
            "EFF_WAVE is 0.0: a wavelength must be positive.",
            ERROR,
        ),
    ]


def test_a_zero_baseline_is_a_warning_and_its_points_leave_the_fit(broken_copy):
    def spoil(hdus):
        hdus["OI_VIS2"].data["UCOORD"][4] = 0
        hdus["OI_VIS2"].data["VCOORD"][4] = 0

    path = broken_copy(SIMULATED, spoil)
    found = validate(path, "ud2.fits")
    assert not found.refused
    assert [p for p in found.warnings if p.column == "UCOORD"] == [Problem(
        "ud2.fits", f"OI_VIS2 (HDU 4, EXTVER 1, {PIONIER})", "UCOORD", 5,
        "(u,v) = (0, 0): a zero baseline measures no diameter; its points are left out of the fit.", WARNING,
    )]  # fmt: skip
    assert fit_files([(path, "ud2.fits")]).uniform.points == 162 - 3


def test_a_file_whose_every_baseline_is_zero_is_refused(broken_copy):
    def spoil(hdus):
        hdus["OI_VIS2"].data["UCOORD"][:] = 0
        hdus["OI_VIS2"].data["VCOORD"][:] = 0

    found = validate(broken_copy(SIMULATED, spoil), "ud2.fits")
    assert found.errors == [
        Problem("ud2.fits", f"OI_VIS2 (HDU 4, EXTVER 1, {PIONIER})", None, None,
                "no point left for the fit: every value is flagged, not a number, without an error or at a zero baseline.", ERROR),
    ]  # fmt: skip
    # the first rows are named, the rest counted
    zero = [p for p in found.warnings if p.column == "UCOORD"]
    assert [p.row for p in zero] == [1, 2, 3, 4, 5, None]
    assert zero[-1].message == "and 49 more rows with the same problem."


def test_an_oifits_without_vis2_is_refused_for_the_fit(broken_copy):
    found = validate(
        broken_copy(HD45677, lambda hdus: hdus.pop(hdus.index_of("OI_VIS2"))), "hd45677.fits"
    )
    assert [p.message for p in found.errors] == [
        "hd45677.fits has no OI_VIS2 table: the diameter is fitted to squared visibilities and this file has none."
    ]
    assert found.revision == 2


def test_a_vis2_naming_a_wavelength_table_that_does_not_exist_is_refused(broken_copy):
    def spoil(hdus):
        hdus["OI_VIS2"].header["INSNAME"] = "MATISSE_N"

    found = validate(broken_copy(HD45677, spoil), "hd45677.fits")
    assert found.errors == [
        Problem("hd45677.fits", "OI_VIS2 (HDU 4, EXTVER 1, INSNAME MATISSE_N)", "INSNAME", None,
                "INSNAME 'MATISSE_N' names no OI_WAVELENGTH table (those of the file: 'MATISSE'): its points have no wavelength.", ERROR),
    ]  # fmt: skip


def test_a_target_id_outside_oi_target_and_a_missing_oi_array_are_warnings(broken_copy):
    def spoil(hdus):
        hdus["OI_VIS2"].data["TARGET_ID"][1] = 7
        hdus.pop(hdus.index_of("OI_ARRAY"))

    found = validate(broken_copy(HD45677, spoil), "hd45677.fits")
    assert not found.refused
    messages = [str(p) for p in found.warnings]
    assert (
        "hd45677.fits: hd45677.fits has no OI_ARRAY table, which OIFITS 2 makes mandatory."
        in messages
    )
    assert (
        "hd45677.fits, OI_VIS2 (HDU 3, EXTVER 1, INSNAME MATISSE), column TARGET_ID, row 2: TARGET_ID 7 is not in OI_TARGET."
    ) in messages
    assert (
        "hd45677.fits, OI_VIS2 (HDU 3, EXTVER 1, INSNAME MATISSE), keyword ARRNAME: ARRNAME 'VLTI' names no OI_ARRAY table."
        in messages
    )


def test_uv_in_centimetres_are_refused_and_a_vis2_shape_other_than_nwave_too(broken_copy):
    def spoil(hdus):
        hdus["OI_VIS2"].columns["UCOORD"].unit = "cm"
        # two of the three channels: the values no longer match OI_WAVELENGTH's wavelengths
        old = hdus["OI_VIS2"]
        columns = [
            fits.Column(c.name, format="2D", array=old.data[c.name][:, :2], unit=c.unit)
            if c.name == "VIS2ERR" else c
            for c in old.columns
        ]  # fmt: skip
        index = hdus.index_of("OI_VIS2")
        hdus[index] = fits.BinTableHDU.from_columns(columns, header=old.header)

    found = validate(broken_copy(ACHERNAR, spoil), "achernar.fits")
    table = f"OI_VIS2 (HDU 4, EXTVER 1, {PIONIER})"
    assert found.errors == [
        Problem("achernar.fits", table, "VIS2ERR", None,
                "has 2 values per row; the standard gives NWAVE = 3, the channels of its OI_WAVELENGTH.", ERROR),
        Problem("achernar.fits", table, "UCOORD", None, "is in cm; the standard fixes m.", ERROR),
    ]  # fmt: skip


def test_a_truncated_file_is_refused_by_name(oifits_dir, tmp_path):
    whole = (oifits_dir / HD45677).read_bytes()
    cut = tmp_path / "cut.fits"
    cut.write_bytes(whole[:100_000])
    assert [str(p) for p in validate(cut, "hd45677.fits").problems] == [
        "hd45677.fits: hd45677.fits was cut: it has 100000 bytes, and a FITS file is a whole number "
        "of 2880-byte blocks, so at least 800 bytes are missing at its end. The file was cut (in a "
        "transfer, a copy, or a full disk): upload it again, whole."
    ]
    # cut on a block boundary, inside the last extension's data: which table, how many bytes
    cut.write_bytes(whole[: len(whole) - 2880])
    (problem,) = validate(cut, "hd45677.fits").problems
    assert problem.severity == ERROR
    assert str(problem) == (
        "hd45677.fits: hd45677.fits was cut: its table OI_FLUX (HDU 7) announces 1116 bytes of "
        "data, the file holds 0 of them (1116 bytes are missing). The file was cut (in a transfer, "
        "a copy, or a full disk): upload it again, whole."
    )
    # cut inside a header
    cut.write_bytes(whole[: 2880 * 2])
    assert [p.message for p in validate(cut, "hd45677.fits").problems] == [
        "hd45677.fits was cut: it ends inside its primary header, before the header's END "
        "card. The file was cut (in a transfer, a copy, or a full disk): upload it again, whole."
    ]


def test_a_fits_image_is_not_oifits(tmp_path):
    path = tmp_path / "image.fits"
    fits.PrimaryHDU(np.zeros((8, 8))).writeto(path)
    assert [str(p) for p in validate(path).problems] == [
        "image.fits: image.fits is a FITS file but not OIFITS: it has none of the tables "
        "OI_TARGET, OI_WAVELENGTH, OI_VIS2, OI_VIS, OI_T3."
    ]


def test_a_text_file_is_not_fits(tmp_path):
    path = tmp_path / "diameters.fits"
    path.write_text("HD 10144  1.71  0.01\n")
    found = validate(path)
    assert found.refused and found.revision is None
    assert [str(p) for p in found.problems] == [
        "diameters.fits: diameters.fits is not a FITS file (it does not begin with SIMPLE = T, as every "
        "FITS file does); an OIFITS file is a FITS file."
    ]
