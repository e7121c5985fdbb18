"""Issue #14, second review, defects 1, 4 and 5, as a user meets them: import_jmdc, the
upload page, the API and /export.dat. Values invented."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from curation.uploads import parse_row
from jmdc.models import Measurement
from tests.builders import measurement
from tests.rows import GOOD_ROW

pytestmark = pytest.mark.django_db

HEADER = "ID1,ID2,UD_DIAM,LD_DIAM,E_LD_DIAM,BAND,MU_LAMBDA,METHOD,BANDCODE,NOTES,BIBCODE,SINPE\n"


def import_rows(tmp_path, *lines: str) -> str:
    """import_jmdc on a file of these rows (after the header): what it refused."""
    from io import StringIO

    path = tmp_path / "jmdc.csv"
    path.write_text(HEADER + "".join(line + "\n" for line in lines))
    out = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_jmdc", str(path), stdout=out, stderr=StringIO())
    assert not Measurement.objects.exists()
    return out.getvalue()


def line(**cells) -> str:
    return ",".join({**GOOD_ROW, **cells}.values())


# Defect 1: numbers the VizieR format cannot hold.
@pytest.mark.parametrize(
    ("cells", "refusal"),
    [
        ({"LD_DIAM": "100.5"}, "LD_DIAM: 100.5 does not fit VizieR's F7.4 (at most 99.9999)"),
        ({"LD_DIAM": "99.99996"}, "LD_DIAM: 99.99996 does not fit VizieR's F7.4 (at most 99.9999)"),
        ({"MU_LAMBDA": "10.5"}, "MU_LAMBDA: 10.5 does not fit VizieR's F7.5 (at most 9.99999)"),
        ({"UD_DIAM": "123456"}, "UD_DIAM: 123456.0 does not fit VizieR's F9.5 (at most 999.99999)"),
        ({"E_LD_DIAM": "1e300"}, "E_LD_DIAM: 1e+300 does not fit VizieR's F8.4 (at most 999.9999)"),
        ({"UD_DIAM": "1e999"}, "UD_DIAM: '1e999' is not a finite number"),
        ({"UD_DIAM": "1_0"}, "UD_DIAM: '1_0' is not a number in plain decimal notation"),
        ({"METHOD": "inf"}, "METHOD: 'inf' is not a whole number"),
        ({"BANDCODE": "nan"}, "BANDCODE: 'nan' is not a whole number"),
    ],
)  # fmt: skip
def test_import_refuses_a_number_jmdc_dat_cannot_hold_naming_line_column_value_and_limit(
    tmp_path, cells, refusal
):
    assert f"line 2, {refusal}" in import_rows(tmp_path, line(**cells))


def test_import_takes_the_largest_values_the_formats_hold_and_they_export(tmp_path):
    path = tmp_path / "jmdc.csv"
    path.write_text(
        HEADER + line(UD_DIAM="999.99999", LD_DIAM="99.9999", E_LD_DIAM="999.9999",
                      MU_LAMBDA="9.99999", NOTES="largest") + "\n"
    )  # fmt: skip
    call_command("import_jmdc", str(path), stdout=__import__("io").StringIO())
    assert Measurement.objects.count() == 1
    assert Client().get("/export.dat").status_code == 200


def test_a_minus_zero_is_zero_and_exports_within_its_bytes(tmp_path):
    path = tmp_path / "jmdc.csv"
    path.write_text(HEADER + line(MU_LAMBDA="-0") + "\n")
    call_command("import_jmdc", str(path), stdout=__import__("io").StringIO())
    body = b"".join(Client().get("/export.dat").streaming_content).decode()
    assert "-0.0" not in body and len(body.splitlines()[0]) == 335


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("1_0", "'1_0' is not a number in plain decimal notation: write it with the digits "
                "0-9, a point and no '_' or blank (e.g. 10.5 or 1.05e1)."),
        ("\u0661\u0662", "'\u0661\u0662' is not a number in plain decimal notation: write it "
                         "with the digits 0-9, a point and no '_' or blank (e.g. 10.5 or 1.05e1)."),
        ("nan", "'nan' is not a finite number."),
        ("1e999", "'1e999' is not a finite number."),
    ],
)  # fmt: skip
def test_an_uploaded_number_not_in_plain_decimal_notation_names_row_and_column(
    client, people, cell, message
):
    client.force_login(people.astronomer)
    data = (HEADER + line(UD_DIAM=cell) + "\n").encode()
    response = client.post(
        "/submissions/upload/", {"file": SimpleUploadedFile("b.csv", data)}, follow=True
    )
    assert response.status_code == 200
    (row,) = response.context["submission"].rows.all()
    assert row.position == 2 and row.ud_diam is None
    assert {"field": "UD_DIAM", "severity": "error", "code": "unreadable", "message": message} in (
        row.cell_errors
    )


# Defect 4: look-alike dashes, dots and lone Greek capitals in names.
LOOKALIKES = [
    ("ID1", "BD\u221221 4897", "U+2212 MINUS SIGN at position 3 (type '-')", "BD-21 4897"),
    ("ID1", "BD\u201321 4897", "U+2013 EN DASH at position 3 (type '-')", "BD-21 4897"),
    ("ID2", "HD 360 \u0391", "U+0391 GREEK CAPITAL LETTER ALPHA at position 8", None),
    ("ID2", "GJ 65 \u0392", "U+0392 GREEK CAPITAL LETTER BETA at position 7", None),
    ("BAND", "2\u20242um", "U+2024 ONE DOT LEADER at position 2 (type '.')", "2.2um"),
    ("BIBCODE", "2008A&A\u2027..485..561L", "U+2027 HYPHENATION POINT at position 8 (type '.')",
     "2008A&A...485..561L"),
    ("ID1", "HD\ufe63360", "U+FE63 SMALL HYPHEN-MINUS at position 3 (type '-')", "HD-360"),
]  # fmt: skip


@pytest.mark.parametrize(("column", "value", "named", "typed"), LOOKALIKES)
def test_a_lookalike_in_a_name_sent_through_the_api_blocks_it_naming_the_character(
    api, column, value, named, typed
):
    author = api("author")
    created = author.post(
        "/api/v1/submissions/",
        {"title": "invented", "rows": [{**GOOD_ROW, column: value}]},
        format="json",
    )
    assert created.status_code == 201
    (finding,) = [
        f for f in created.json()["rows"][0]["findings"]
        if f["field"] == column and f["severity"] == "error"
        and f["code"] in ("lookalike_punctuation", "mixed_script")
    ]  # fmt: skip
    assert finding["message"].startswith(named)
    if typed:
        assert finding["message"].endswith(f"type {typed!r}.")
    assert author.post(f"/api/v1/submissions/{created.json()['id']}/submit/").status_code == 400


@pytest.mark.parametrize(("column", "value", "named", "typed"), LOOKALIKES)
def test_import_refuses_a_lookalike_in_a_name(tmp_path, column, value, named, typed):
    assert f"line 2, {column}: {named}" in import_rows(tmp_path, line(**{column: value}))


@pytest.mark.parametrize("name", ["alf Boo", "\u03b1 Cen", "\u03bf Cet", "\u03c1 Per"])
def test_bayer_names_with_a_lower_case_greek_letter_stay_accepted(name):
    row = parse_row(2, {**GOOD_ROW, "ID2": name})
    from curation.rules import identifiers_are_plain
    from curation.rules_context import RuleContext

    assert identifiers_are_plain(type("R", (), row.values)(), RuleContext()) == []


# Defect 5: the micron sign in jmdc.dat.
@pytest.mark.parametrize("band", ["2.2\u00b5m", "2.2\u03bcm"])
def test_a_band_in_microns_is_written_um_in_jmdc_dat(band):
    measurement(band=band)
    body = b"".join(Client().get("/export.dat").streaming_content).decode("ascii")
    assert body[85:95] == "2.2um     "  # the Band column, bytes 86-95
