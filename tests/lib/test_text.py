"""lib.text on its own: what each cleaning keeps, changes and says (no Django needed)."""

import pytest

from lib.text import NotText, clean_free_text, clean_identifier, decode_bytes, identifier_problems


def test_free_text_is_nfc_and_its_line_breaks_become_one_blank_with_a_warning():
    cleaned = clean_free_text("caf\u0065\u0301\r\nnoir")
    assert cleaned.text == "caf\u00e9 noir"
    (finding,) = cleaned.findings
    assert finding.severity == "warning"
    assert finding.message == (
        "control characters removed: U+000D CARRIAGE RETURN at position 5, U+000A LINE FEED at "
        "position 6 (a line break or tab became a blank)"
    )


def test_free_text_loses_its_invisible_characters_with_a_warning_and_keeps_greek():
    cleaned = clean_free_text("\u03c3 = 0.1\u200b mas\ufffe")
    assert cleaned.text == "\u03c3 = 0.1 mas"
    assert [f.message for f in cleaned.findings] == [
        "invisible characters removed: U+200B ZERO WIDTH SPACE at position 8, "
        "U+FFFE UNNAMED CHARACTER at position 13"
    ]


def test_blanks_at_the_ends_are_trimmed_silently():
    cleaned = clean_identifier("  HD 360\u00a0")
    assert (cleaned.text, cleaned.findings, cleaned.trimmed) == ("HD 360", (), True)


def test_an_identifier_keeps_what_identifier_problems_refuses():
    assert clean_identifier("HD\u202e360").text == "HD\u202e360"
    (problem,) = identifier_problems("HD\u202e360")
    assert (problem.severity, problem.code) == ("error", "bidi_control")


def test_a_long_list_of_characters_is_cut_to_five_and_counted():
    (finding,) = clean_free_text("a\x01b\x02c\x03d\x04e\x05f\x06g\x07").findings
    assert finding.message.endswith("U+0005 ENQUIRY at position 10 and 2 more")


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("HD 360", []),
        ("\u03b2 Cas", []),
        ("\u03b1 Cen A", []),
        ("\u041dD 360", ["mixed_script"]),
        ("\u0397\u0399\u03a1 1234", ["mixed_script"]),  # Greek Eta Iota Rho: reads as HIP
        ("HD 36\u0030\u2060", ["invisible_character"]),
        ("\u0412\u0435\u0433\u0430", []),  # a name in Cyrillic alone is not a look-alike of Latin
    ],
)
def test_identifier_problems(name, codes):
    assert [p.code for p in identifier_problems(name)] == codes


def test_decoding_says_when_it_guessed():
    assert decode_bytes("\u00e9".encode()) == ("\u00e9", None)
    assert decode_bytes("\u00e9".encode("utf-16")) == ("\u00e9", None)  # with its BOM
    assert decode_bytes("\u201c".encode("cp1252")) == ("\u201c", "Windows-1252")
    assert decode_bytes(b"\xe9\x81") == ("\u00e9\x81", "Latin-1 (ISO-8859-1)")
    with pytest.raises(NotText, match="binary file"):
        decode_bytes(b"%PDF\x00\x01\x02\x03\x04\x05 stream")
