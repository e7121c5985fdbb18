"""The bad-input corpus: each malformed upload gets a precise answer (files built here)."""

import io

import pytest
from openpyxl import Workbook

from curation.uploads import UploadError, parse_row, read_submission_file

HEADER = "ID1,ID2,UD_DIAM,LD_DIAM,E_LD_DIAM,BAND,MU_LAMBDA,METHOD,BANDCODE,NOTES,BIBCODE,SINPE\n"
GOOD = "HD124897,alf Boo,19.9,20.91,0.07,K,,1,8,,2008A&A...485..561L,\n"


def read_csv(text: str | bytes, name="rows.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_submission_file(name, data)


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_good_csv_gives_typed_rows_numbered_as_in_the_file():
    (row,) = read_csv(HEADER + GOOD)
    assert row.position == 2 and row.cell_errors == []
    assert (row.values["id1"], row.values["ud_diam"], row.values["method"], row.values["sinpe"]) == (
        "HD124897", 19.9, 1, False,
    )  # fmt: skip


def test_only_the_required_columns_are_needed_in_any_order_and_case():
    (row,) = read_csv("bibcode,ld_diam,id1\n2008A&A...485..561L,20.91,HD124897\n")
    assert (row.values["ld_diam"], row.values["ud_diam"], row.values["notes"]) == (20.91, None, "")


def test_a_semicolon_csv_from_a_european_spreadsheet_is_read():
    (row,) = read_csv(HEADER.replace(",", ";") + GOOD.replace(",", ";"))
    assert row.values["ld_diam"] == 20.91


def test_blank_lines_do_not_shift_the_row_numbers():
    rows = read_csv(HEADER + GOOD + ",,,,\n" + GOOD)
    assert [r.position for r in rows] == [2, 4]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "rows.csv", "the file is empty"),
        (b"   \n\n", "rows.csv", "the file is empty"),
        (HEADER.encode(), "rows.csv", "a header but no measurement rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", "photo.csv", "binary file"),
        (
            (HEADER + "HD1,\xe9toile,1,,,K,,1,8,,2008A&A...485..561L,\n").encode("latin-1"),
            "rows.csv",
            "not UTF-8 (line 2",
        ),
        (b"STAR,DIAMETER\nHD1,2\n", "rows.csv", "unknown column(s) 'STAR', 'DIAMETER'"),
        (b"ID1,UD_DIAM\nHD1,2\n", "rows.csv", "missing column(s) BIBCODE"),
        (b"ID1,BIBCODE,NOTES\nHD1,x,y\n", "rows.csv", "missing column(s) UD_DIAM or LD_DIAM"),
        (b"ID1,ID1,UD_DIAM,BIBCODE\nHD1,HD1,2,x\n", "rows.csv", "column(s) ID1 appear twice"),
        (
            (HEADER + "HD1,,1,,,K,,1,8,a,2008A&A...485..561L,,extra\n").encode(),
            "rows.csv",
            "row 2 has 13 cells but the header has 12",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", "old Excel .xls file"),
        (b"PK\x03\x04 this is not really a zip", "broken.xlsx", "not a valid .xlsx workbook"),
    ],
)
def test_a_file_that_cannot_be_a_submission_is_refused_with_what_to_do(data, name, message):
    with pytest.raises(UploadError) as refused:
        read_submission_file(name, data)
    assert message in str(refused.value)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.SUBMISSION_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(UploadError, match=r"the limit is 0.0 MB: split it"):
        read_csv(HEADER + GOOD * 20)


def test_a_file_with_too_many_rows_is_refused(settings):
    settings.SUBMISSION_MAX_ROWS = 3
    with pytest.raises(UploadError, match="more than 3 rows"):
        read_csv(HEADER + GOOD * 4)


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("1,5", None, "'1,5' uses a decimal comma: write 1.5 with a point."),
        ("abc", None, "'abc' is not a number."),
        ("inf", None, "'inf' is not a finite number."),
        (" 2.5 ", 2.5, None),
        ("1e-1", 0.1, None),
    ],
)
def test_numbers_are_read_strictly_and_an_unreadable_cell_keeps_its_text(cell, value, message):
    row = parse_row(7, {"ID1": "HD1", "UD_DIAM": cell, "BIBCODE": "2008A&A...485..561L"})
    assert row.values["ud_diam"] == value
    assert [e["message"] for e in row.cell_errors] == ([message] if message else [])
    if message:
        assert row.cell_errors[0]["field"] == "UD_DIAM"


def test_control_characters_are_removed_and_reported():
    row = parse_row(2, {"ID1": "HD1\x00\x1b[31m", "NOTES": "line\r\nbreak", "BIBCODE": "x"})
    assert row.values["id1"] == "HD1[31m"
    assert row.values["notes"] == "line break"
    assert [e["field"] for e in row.cell_errors] == ["ID1"]


def test_an_xlsx_file_is_read_with_numbers_as_typed():
    data = xlsx(
        [
            HEADER.strip().split(","),
            [
                "HD124897",
                "alf Boo",
                19.9,
                20.91,
                0.07,
                "K",
                None,
                1,
                8,
                None,
                "2008A&A...485..561L",
                None,
            ],
        ]
    )
    (row,) = read_submission_file("rows.xlsx", data)
    assert (row.values["ud_diam"], row.values["ld_diam"], row.values["method"]) == (19.9, 20.91, 1)


def test_a_formula_in_an_xlsx_cell_is_never_evaluated_and_stays_visible_as_text():
    data = xlsx(
        [
            ["ID1", "LD_DIAM", "NOTES", "BIBCODE"],
            ["HD1", 1.2, '=HYPERLINK("http://evil","x")', "2008A&A...485..561L"],
        ]
    )
    (row,) = read_submission_file("rows.xlsx", data)
    assert row.values["notes"] == '=HYPERLINK("http://evil","x")'  # the rules then refuse it
