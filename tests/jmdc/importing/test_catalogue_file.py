"""The legacy-file reader on small files written here (invented rows in the real layouts)."""

import pytest

from jmdc.importing.catalogue_file import CatalogueFileError, read_catalogue_file

EXPORT_HEADER = (
    '"ID1","ID2","UD_DIAM","LD_DIAM","E_LD_DIAM","BAND","MU_LAMBDA","METHOD","BANDCODE",'
    '"NOTES","BIBCODE","SINPE"\n'
)
SHEET_HEADER = "ID1,ID2,UD_MEAS,LD_MEAS,E_LD_MEAS,BAND,MU_LAMBDA,METHOD,BANDCODE,NOTES,REFERENCE\n"
SHEET_2016_HEADER = (
    "ID1,ID2,UD_MEAS,LD_MEAS,E_LD_MEAS,BAND,LD_DIAM_ORIG,UD_TO_LD_3D_COEFF,ORIG_MU_LAMBDA,"
    "METHODCODE,BANDCODE,NOTE,REFTEXT\n"
)


def read(text: str):
    return read_catalogue_file(text.encode("utf-8"))


def only_row(text: str):
    parsed = read(text)
    assert len(parsed.rows) == 1, [str(f) for f in parsed.findings]
    return parsed.rows[0][1]


def test_it_reads_a_row_of_the_portal_export_as_typed():
    row = only_row(
        EXPORT_HEADER
        + '"HD360","","","0.906","0.014","H","","1","7","unclear (mu_lambda?)","2019Natur.567..200P",""'
    )
    assert (row.id1, row.ud_diam, row.ld_diam, row.e_ld_diam) == ("HD360", None, 0.906, 0.014)
    assert (row.band, row.method, row.bandcode, row.sinpe) == ("H", 1, 7, False)
    assert row.bibcode == "2019Natur.567..200P"


def test_minus_one_in_any_numeric_column_is_read_as_empty_and_counted():
    parsed = read(SHEET_HEADER + "HD29139,ALF TAU,20,-1,-1,,-1.0,1,-1,,1976A&A....47..457D\n")
    row = parsed.rows[0][1]
    assert (row.ud_diam, row.ld_diam, row.e_ld_diam, row.mu_lambda, row.bandcode) == (
        20.0, None, None, None, None,
    )  # fmt: skip
    assert parsed.legacy_nulls == 4


def test_blanks_including_non_breaking_ones_are_trimmed_silently():
    parsed = read(SHEET_HEADER + "HD4817\u00a0 , HR 243 ,1.5,,0.1, K ,,1,8,,2017A&A...597A.137G\n")
    row = parsed.rows[0][1]
    assert (row.id1, row.id2, row.band) == ("HD4817", "HR 243", "K")
    assert parsed.findings == []
    assert parsed.trimmed_cells == 3


def test_a_line_break_before_a_bibcode_is_removed_and_reported():
    parsed = read(SHEET_HEADER + 'HD1,,1.5,,0.1,K,,1,8,,"\n2015A&A...576A..64B"\n')
    assert parsed.rows[0][1].bibcode == "2015A&A...576A..64B"
    assert [str(f) for f in parsed.findings] == [
        "line 2, BIBCODE: control characters removed: U+000A LINE FEED at position 1 "
        "(a line break or tab became a blank) (imported)"
    ]


def test_a_citation_glued_to_a_pseudo_bibcode_moves_to_notes():
    row = only_row(
        SHEET_HEADER
        + 'HD124897,ALF BOO,20,-1,-1,,,1,,,"1931............... Pease, F.G.: 1931, Ergebn. 10, 84"\n'
    )
    assert row.bibcode == "1931..............."
    assert row.notes == "Pease, F.G.: 1931, Ergebn. 10, 84"


def test_a_citation_after_19_dots_joins_existing_notes():
    row = only_row(
        SHEET_HEADER
        + 'HD1,,28,-1,-1,,,1,,binary,"................... Carnegie Year Books for 1933"\n'
    )
    assert row.bibcode == "..................."
    assert row.notes == "binary; Carnegie Year Books for 1933"


def test_a_citation_after_a_real_bibcode_is_dropped_because_ads_holds_it():
    parsed = read(
        SHEET_HEADER
        + 'HD1,,45,-1,4.5,11,,2,11,,"1953MNRAS.113..776C Cousins, A.W.J.: 1953, MNRAS 113, 776"\n'
    )
    row = parsed.rows[0][1]
    assert (row.bibcode, row.notes) == ("1953MNRAS.113..776C", "")
    assert "citation text after the ADS bibcode dropped" in str(parsed.findings[0])


def test_a_year_with_free_text_becomes_a_pseudo_bibcode_with_the_text_in_notes():
    row = only_row(SHEET_HEADER + "HD173701,,-1,0.332,0.006,H,,1,7,,2013.TB.private comm.\n")
    assert row.bibcode == "2013..............."
    assert row.notes == "TB.private comm."


def test_a_malformed_18_character_bibcode_is_kept_and_reported():
    parsed = read(SHEET_HEADER + "HD1,,2.1,,0.1,K,,1,8,,1997AJ....112.294D\n")
    assert parsed.rows[0][1].bibcode == "1997AJ....112.294D"
    assert str(parsed.findings[0]) == (
        "line 2, BIBCODE: '1997AJ....112.294D' has 18 characters, a bibcode has 19 (imported)"
    )


def test_the_2016_sheet_names_map_to_the_catalogue_columns():
    parsed = read(
        SHEET_2016_HEADER
        + "HD30443,,1.43,,0.2,K,5.5,0.98,1.11803,2,8,occultation,1977AJ.....82..414R\n"
    )
    row = parsed.rows[0][1]
    assert (row.ud_diam, row.mu_lambda, row.method, row.notes) == (1.43, 1.11803, 2, "occultation")
    assert row.bibcode == "1977AJ.....82..414R"
    assert "column LD_DIAM_ORIG is not a catalogue column: ignored" in parsed.notices


def test_an_empty_method_is_imported_and_reported():
    parsed = read(SHEET_HEADER + "HD1,,2.1,,0.1,K,,,8,,2019A&A...621A..44G\n")
    assert parsed.rows[0][1].method is None
    assert str(parsed.findings[0]) == "line 2, METHOD: METHOD is empty (imported)"


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ("HD1,,abc,,0.1,K,,1,8,,2019A&A...621A..44G", "UD_DIAM: 'abc' is not a number"),
        ("HD1,,-2.5,,0.1,K,,1,8,,2019A&A...621A..44G", "UD_DIAM: -2.5 is not a positive value"),
        ("HD1,,0,,0.1,K,,1,8,,2019A&A...621A..44G", "UD_DIAM: 0 is not a positive value"),
        ("HD1,,nan,,0.1,K,,1,8,,2019A&A...621A..44G", "UD_DIAM: 'nan' is not a finite number"),
        ("HD1,,,,0.1,K,,1,8,,2019A&A...621A..44G", "UD_DIAM: neither UD_DIAM nor LD_DIAM"),
        ("HD1,,1.1,,0.1,K,,4,8,,2019A&A...621A..44G", "METHOD: 4 is not in 1..3"),
        ("HD1,,1.1,,0.1,K,,1,13,,2019A&A...621A..44G", "BANDCODE: 13 is not in 1..12"),
        ("HD1,,1.1,,0.1,K,,1.5,8,,2019A&A...621A..44G", "METHOD: 1.5 is not in 1..3"),
        (",,1.1,,0.1,K,,1,8,,2019A&A...621A..44G", "ID1: ID1 is empty"),
        ("HD1,,1.1,,0.1,K,,1,8,,", "BIBCODE: BIBCODE is empty"),
        ("HD1,,1.1,,0.1,K-band-long,,1,8,,2019A&A...621A..44G", "BAND: 11 characters"),
        ("HD1,,1.1,,0.1,K,,1,8,,not a bibcode at all", "BIBCODE: 'not a bibcode at all' has 20"),
    ],
)
def test_a_row_it_cannot_accept_is_reported_with_line_column_and_reason(cells, expected):
    parsed = read(SHEET_HEADER + "HD2,,1.0,,0.1,K,,1,8,,2019A&A...621A..44G\n" + cells + "\n")
    assert [line for line, _ in parsed.rows] == [2]
    rejected = [str(f) for f in parsed.findings if f.rejected]
    assert len(rejected) == 1
    assert rejected[0].startswith(f"line 3, {expected}")
    assert rejected[0].endswith("(row not imported)")
    assert parsed.rejected_lines == 1


def test_line_numbers_count_physical_lines_when_a_cell_spans_two():
    parsed = read(
        SHEET_HEADER
        + 'HD1,,2.1,,0.1,K,,1,8,,"\n2015A&A...576A..64B"\n'
        + "HD2,,2.1,,0.1,K,,9,8,,2015A&A...576A..64B\n"
    )
    assert [str(f) for f in parsed.findings if f.rejected] == [
        "line 4, METHOD: 9 is not in 1..3 (row not imported)"
    ]


def test_a_note_longer_than_the_vizier_column_is_cut_at_a_word_and_kept_whole_in_the_report():
    long_note = "word " * 50 + "end of a long note"
    parsed = read(SHEET_HEADER + f"HD1,,2.1,,0.1,K,,1,8,{long_note},2015A&A...576A..64B\n")
    row = parsed.rows[0][1]
    assert len(row.notes) <= 204
    assert long_note.startswith(row.notes) and not row.notes.endswith(" ")
    assert long_note.strip() in str(parsed.findings[0])


def test_identical_rows_are_all_kept_because_time_series_repeat_values():
    line = "HD174694,,1.1,,0.1,K,,1,8,,2015A&A...576A..64B\n"
    parsed = read(SHEET_HEADER + line * 3)
    assert len(parsed.rows) == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "this is a binary file"),
        (b"ID1,DIAMETER,BIBCODE\nHD1,2,x\n", "unknown column(s) DIAMETER"),
        (b"ID1,UD_DIAM\nHD1,2\n", "missing column(s): BIBCODE"),
        (b"ID1,BIBCODE,NOTES\nHD1,x,y\n", "missing column(s): UD_DIAM or LD_DIAM"),
    ],
)
def test_a_file_that_is_not_a_catalogue_is_refused_as_a_whole(data, message):
    with pytest.raises(CatalogueFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_catalogue_file(data)


def test_a_windows_1252_file_is_read_and_the_fallback_is_reported():
    data = SHEET_HEADER + "HD1,\u03b2 Cas,2.1,,0.1,K,,1,8,caf\u00e9,2015A&A...576A..64B\n"
    parsed = read_catalogue_file(data.replace("\u03b2 Cas", "").encode("cp1252"))
    assert parsed.rows[0][1].notes == "caf\u00e9"
    assert parsed.notices[0].startswith("the file is not UTF-8")


def test_rows_lacking_their_trailing_empty_cells_are_read_and_counted_once():
    short = "HD174694,,1.1,,0.1,K,,1,8,,2015A&A...576A..64B\n"  # no SINPE cell at all
    parsed = read(EXPORT_HEADER.replace('"', "") + short * 3)
    assert len(parsed.rows) == 3 and parsed.rejected_lines == 0
    assert parsed.notices == [
        "3 rows lacked their trailing empty cells (as some spreadsheet programs write them): "
        "read as empty"
    ]


def test_notes_are_cut_at_a_word_so_that_vizier_s_ascii_fits_too():
    notes = "word " * 40 + "\u2026" * 2  # 202 characters, 206 once … is written ...
    parsed = read(SHEET_HEADER + f"HD1,,1.5,,0.1,K,,1,8,{notes},2015A&A...576A..64B\n")
    row = parsed.rows[0][1]
    assert row.notes == ("word " * 40).strip()
    (finding,) = parsed.findings
    assert str(finding).startswith(
        "line 2, NOTES: 202 characters (206 as VizieR writes them in ASCII) cut to fit 204"
    )


def test_a_name_that_fits_as_typed_but_not_as_vizier_writes_it_is_refused():
    parsed = read(
        SHEET_HEADER + "HD1,,1.5,,0.1,K\u2026\u2026\u2026\u2026,,1,8,,2015A&A...576A..64B\n"
    )
    assert [str(f) for f in parsed.findings] == [
        "line 2, BAND: 5 characters (13 as VizieR writes them in ASCII), the column holds 10 "
        "(row not imported)"
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("\u041dD 360", "U+041D CYRILLIC CAPITAL LETTER EN at position 1 is a Cyrillic letter"),
        ("HD\u202e360", "U+202E RIGHT-TO-LEFT OVERRIDE at position 3: an invisible bidirectional"),
    ],
)
def test_a_look_alike_or_invisible_character_in_a_name_refuses_the_row(name, message):
    parsed = read(SHEET_HEADER + f"{name},,1.5,,0.1,K,,1,8,,2015A&A...576A..64B\n")
    assert parsed.rows == []
    (finding,) = parsed.findings
    assert (finding.line, finding.column, finding.rejected) == (2, "ID1", True)
    assert finding.message.startswith(message)


def test_greek_bayer_letters_and_control_bytes_of_the_2016_sheet_still_import():
    parsed = read(
        SHEET_HEADER
        + "HD1,\u03ba-1 Cet\x0e,1.5,,0.1,K,,1,8,\u03bc\u03bb = 0.35,2015A&A...576A..64B\n"
    )
    row = parsed.rows[0][1]
    assert (row.id2, row.notes) == ("\u03ba-1 Cet", "\u03bc\u03bb = 0.35")
    assert [str(f) for f in parsed.findings] == [
        "line 2, ID2: control characters removed: U+000E SHIFT OUT at position 8 (imported)"
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("\uff28\uff24 360", "U+FF28 FULLWIDTH LATIN CAPITAL LETTER H at position 1 (type 'H')"),
        ("HD 3\u034f60", "U+034F COMBINING GRAPHEME JOINER at position 5: invisible"),
        ("HD\u2800360", "U+2800 BRAILLE PATTERN BLANK at position 3: a symbol drawn as a blank"),
    ],
)
def test_a_compatibility_or_ignorable_character_in_a_name_refuses_the_row(name, message):
    parsed = read(SHEET_HEADER + f"{name},,1.5,,0.1,2.2\u00b5m,,1,8,,2015A&A...576A..64B\n")
    assert parsed.rows == []
    (finding,) = parsed.findings
    assert (finding.line, finding.column, finding.rejected) == (2, "ID1", True)
    assert finding.message.startswith(message)


def test_a_band_in_microns_with_the_micro_sign_imports():
    parsed = read(SHEET_HEADER + "HD1,,1.5,,0.1,2.2\u00b5m,,1,8,,2015A&A...576A..64B\n")
    assert [row.band for _, row in parsed.rows] == ["2.2\u00b5m"] and parsed.findings == []
