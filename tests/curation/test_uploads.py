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
    # A line break inside a quoted cell used to become a blank silently: it is said now.
    assert [(e["field"], e["severity"], e["message"]) for e in row.cell_errors] == [
        ("ID1", "warning", "control characters removed: U+0000 NULL at position 4, U+001B ESCAPE at position 5"),
        ("NOTES", "warning", "control characters removed: U+000D CARRIAGE RETURN at position 5, U+000A LINE FEED at position 6 (a line break or tab became a blank)"),
    ]  # fmt: skip


def test_a_leading_line_break_in_a_bibcode_is_removed_with_a_warning():
    (row,) = read_csv(HEADER + GOOD.replace("2008A&A", '"\n2008A&A').replace("561L,", '561L",'))
    assert row.values["bibcode"] == "2008A&A...485..561L"
    assert row.cell_errors == [
        {"field": "BIBCODE", "severity": "warning", "code": "control_characters",
         "message": "control characters removed: U+000A LINE FEED at position 1 (a line break or tab became a blank)"},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
    ],
)
def test_utf8_with_or_without_bom_and_utf16_with_bom_are_read_without_a_word(encoding, prefix):
    data = prefix + (HEADER + GOOD.replace(",,2008", ",\u00e9toile \u03c3,2008")).encode(encoding)
    (row,) = read_csv(data)
    assert row.values["notes"] == "\u00e9toile \u03c3"
    assert row.values["id1"] == "HD124897"  # no BOM glued to the first column's name
    assert row.cell_errors == []


@pytest.mark.parametrize(
    ("text", "encoding", "named"),
    [
        ("\u00e9toile", "latin-1", "Windows-1252"),  # the same bytes in both for é
        ("\u201cscaled sun\u201d", "cp1252", "Windows-1252"),
        ("caf\u00e9\x81", "latin-1", "Latin-1 (ISO-8859-1)"),  # 0x81 is not Windows-1252
    ],
)
def test_a_western_file_is_decoded_with_a_warning_naming_the_encoding_guessed(
    text, encoding, named
):
    data = (HEADER + GOOD.replace(",,2008", f",{text},2008")).encode(encoding)
    (row,) = read_csv(data)
    assert row.values["notes"].startswith(text.replace("\x81", ""))
    warning = row.cell_errors[-1]
    assert (warning["field"], warning["severity"]) == ("NOTES", "warning")
    assert warning["message"].startswith(f"the file is not UTF-8: it was read as {named}")


def test_only_the_cells_the_guess_touches_carry_the_warning():
    data = (HEADER + GOOD + GOOD.replace(",,2008", ",caf\u00e9,2008")).encode("cp1252")
    first, second = read_csv(data)
    assert first.cell_errors == []
    assert [e["field"] for e in second.cell_errors] == ["NOTES"]


def test_a_nul_byte_in_a_text_file_is_named_by_row_and_column():
    rows = read_csv(HEADER + GOOD + GOOD.replace("alf Boo", "alf\x00Boo"))
    assert rows[1].position == 3
    assert rows[1].cell_errors == [
        {"field": "ID2", "severity": "warning", "code": "control_characters",
         "message": "control characters removed: U+0000 NULL at position 4"},
    ]  # fmt: skip


def test_a_cell_too_long_for_the_csv_reader_is_named_by_row_and_column():
    data = HEADER + GOOD + GOOD.replace(",,2008", ',"' + "x" * 200_000 + '",2008')
    with pytest.raises(UploadError) as refused:
        read_csv(data)
    assert str(refused.value) == (
        "row 3, column NOTES: the cell is longer than 131072 characters (a quote left open?): check it."
    )


def test_an_unclosed_quote_is_a_cell_too_long_named_where_it_starts():
    data = HEADER + GOOD + 'HD1,"alf Boo,19.9,,,K,,1,8,' + "x" * 140_000 + "\n" + GOOD
    with pytest.raises(UploadError, match=r"^row 3, column ID2: the cell is longer than"):
        read_csv(data)


def test_the_legacy_minus_one_is_read_as_empty_with_a_warning():
    (row,) = read_csv(HEADER + "HD1,,-1,0.906,-1.0,H,-1,1,-1,,2019Natur.567..200P,\n")
    values = row.values
    assert (values["ud_diam"], values["e_ld_diam"], values["mu_lambda"], values["bandcode"]) == (
        None, None, None, None,
    )  # fmt: skip
    assert [(e["field"], e["severity"], e["code"]) for e in row.cell_errors] == [
        ("UD_DIAM", "warning", "legacy_null"), ("E_LD_DIAM", "warning", "legacy_null"),
        ("MU_LAMBDA", "warning", "legacy_null"), ("BANDCODE", "warning", "legacy_null"),
    ]  # fmt: skip
    assert row.cell_errors[0]["message"] == (
        "-1 is how the old catalogue wrote 'no value': read as empty (leave the cell empty)."
    )


def test_a_no_break_space_inside_a_name_becomes_a_plain_space_with_a_warning():
    row = parse_row(4, {"ID1": "HD\u00a0124897\u00a0", "BIBCODE": "2008A&A...485..561L"})
    assert row.values["id1"] == "HD 124897"
    assert row.cell_errors == [
        {"field": "ID1", "severity": "warning", "code": "unusual_space",
         "message": "U+00A0 NO-BREAK SPACE at position 3 replaced by a plain space"},
    ]  # fmt: skip


def test_a_name_longer_than_a_draft_keeps_is_cut_with_an_error():
    row = parse_row(4, {"ID1": "H" * 150, "BIBCODE": "2008A&A...485..561L"})
    assert len(row.values["id1"]) == 100
    assert row.cell_errors[0]["severity"] == "error"
    assert row.cell_errors[0]["message"].startswith("150 characters, more than a draft keeps (100)")


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
