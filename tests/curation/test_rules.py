"""Every validation rule with a row that passes and a row that fails (values invented)."""

from types import SimpleNamespace

import pytest

from curation import rules
from curation.rules_context import RuleContext, StarFacts

BASE = {
    "id1": "HD124897", "id2": "alf Boo", "ud_diam": 19.9, "ld_diam": 20.91, "e_ld_diam": 0.07, "band": "K",
    "mu_lambda": None, "method": 1, "bandcode": 8, "notes": "", "bibcode": "2008A&A...485..561L", "sinpe": False,
}  # fmt: skip


def codes(rule, context=None, **changes) -> list[str]:
    row = SimpleNamespace(**{**BASE, **changes})
    return [f.code for f in rule(row, context or RuleContext())]


def test_the_base_row_passes_every_rule():
    row = SimpleNamespace(**BASE)
    assert rules.check_row(row, RuleContext()) == []


CASES = [
    # rule, changes that fail it, the code expected
    (rules.identifier_present, {"id1": "  "}, "id1_missing"),
    (rules.ud_or_ld_present, {"ud_diam": None, "ld_diam": None}, "no_diameter"),
    (rules.values_positive, {"ud_diam": 0.0}, "not_positive"),
    (rules.values_positive, {"e_ld_diam": -0.1}, "not_positive"),
    (rules.values_positive, {"mu_lambda": -0.2}, "not_positive"),
    (rules.values_positive, {"ud_diam": 420.0, "ld_diam": None}, "implausibly_large"),
    (rules.error_not_larger_than_value, {"e_ld_diam": 25.0}, "error_too_large"),
    (rules.error_not_larger_than_value, {"e_ld_diam": None}, "error_missing"),
    (rules.ld_ud_ratio_plausible, {"ld_diam": 0.36}, "ld_ud_ratio"),
    (rules.ld_ud_ratio_plausible, {"ld_diam": 43.0}, "ld_ud_ratio"),
    (rules.mu_lambda_consistent, {"mu_lambda": 0.1}, "mu_lambda_inconsistent"),
    (rules.mu_lambda_consistent, {"mu_lambda": 1.2}, "mu_lambda_inconsistent"),
    (rules.method_known, {"method": None}, "method_missing"),
    (rules.method_known, {"method": 4}, "method_range"),
    (rules.bandcode_coherent, {"bandcode": None}, "bandcode_missing"),
    (rules.bandcode_coherent, {"bandcode": 13}, "bandcode_range"),
    (rules.bandcode_coherent, {"band": "800nm", "bandcode": 8}, "band_mismatch"),
    (rules.bandcode_coherent, {"band": "710 mu", "bandcode": 4}, "band_mismatch"),
    (rules.fits_vizier_layout, {"id1": "X" * 29}, "too_long"),
    (rules.fits_vizier_layout, {"notes": "n" * 205}, "too_long"),
    (rules.fits_vizier_layout, {"band": "2.2 microns"}, "too_long"),
    (rules.fits_vizier_layout, {"ld_diam": 100.0}, "too_large_for_format"),
    (rules.fits_vizier_layout, {"notes": "n" * 203 + "\u2026"}, "too_long"),
    (rules.fits_vizier_layout, {"band": "\ufb03" * 4}, "too_long"),
    (rules.identifiers_are_plain, {"id1": "HD\u202e124897"}, "bidi_control"),
    (rules.identifiers_are_plain, {"id2": "alf\u200bBoo"}, "invisible_character"),
    (rules.identifiers_are_plain, {"band": "\ufeffK"}, "invisible_character"),
    (rules.identifiers_are_plain, {"id1": "\u041dD 360"}, "mixed_script"),
    (rules.identifiers_are_plain, {"bibcode": "2008A&A...485..56\u0399L"}, "mixed_script"),
    (rules.no_spreadsheet_formula, {"notes": '=HYPERLINK("http://x")'}, "formula"),
    (rules.no_spreadsheet_formula, {"id2": "@SUM(A1)"}, "formula"),
    (rules.no_spreadsheet_formula, {"band": "+K"}, "formula"),
    (rules.no_spreadsheet_formula, {"notes": "-1 sigma"}, "formula"),
    (rules.bibcode_valid, {"bibcode": ""}, "bibcode_missing"),
    (rules.bibcode_valid, {"bibcode": "1997AJ....112.294D"}, "bibcode_length"),
    (rules.bibcode_valid, {"bibcode": "not-a-bibcode-at-al"}, "bibcode_pattern"),
    (
        rules.bibcode_valid,
        {"bibcode": "1931...............", "notes": ""},
        "pseudo_bibcode_without_citation",
    ),
]


@pytest.mark.parametrize(
    ("rule", "changes", "code"), CASES, ids=[f"{c[0].__name__}-{c[2]}" for c in CASES]
)
def test_a_rule_reports_the_row_that_breaks_it(rule, changes, code):
    assert code in codes(rule, **changes)
    assert codes(rule) == []


@pytest.mark.parametrize(
    ("band", "bandcode"),
    [("K", 8), ("H,K", 7), ("K'", 8), ("2.2mu", 8), ("800nm", 5), ("710nm", 4), ("4430A", 2),
     ("8-13", 11), ("550 to 850", 3), ("Halpha", 4), ("1.618", 7), ("", 8)],
)  # fmt: skip
def test_band_texts_seen_in_the_real_catalogue_agree_with_their_codes(band, bandcode):
    assert codes(rules.bandcode_coherent, band=band, bandcode=bandcode) == []


def test_mu_lambda_is_read_in_both_of_its_meanings():
    # u = 0.3 predicts LD/UD = sqrt((1-0.1)/(1-0.14)) = 1.02300
    assert codes(rules.mu_lambda_consistent, ud_diam=2.0, ld_diam=2.046, mu_lambda=0.3) == []
    # a value >= 1 is the ratio itself (lunar occultations often use 1.11803)
    assert codes(rules.mu_lambda_consistent, ud_diam=2.0, ld_diam=2.23606, mu_lambda=1.11803) == []


def test_a_pseudo_bibcode_with_its_citation_in_notes_passes():
    assert codes(rules.bibcode_valid, bibcode="1931...............", notes="Pease 1931") == []
    assert (
        codes(rules.bibcode_valid, bibcode="...................", notes="Carnegie Year Books") == []
    )


def test_a_row_equal_to_a_published_one_is_a_likely_duplicate():
    context = RuleContext(
        published={("HD 124897", "2008A&A...485..561L"): [("K", 19.9, 20.91, 77)]}
    )
    assert codes(rules.not_a_published_duplicate, context) == ["duplicate"]
    assert codes(rules.not_a_published_duplicate, context, ld_diam=20.95) == []


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("not_found", "simbad_not_found"),
        ("ambiguous", "simbad_ambiguous"),
        ("error", "simbad_error"),
    ],
)
def test_simbad_trouble_is_a_warning_for_the_curator(status, code):
    context = RuleContext(stars={"HD124897": StarFacts(status)})
    assert codes(rules.simbad_identified, context) == [code]
    resolved = RuleContext(stars={"HD124897": StarFacts("resolved", "* alf Boo", 213.9, 19.18)})
    assert codes(rules.simbad_identified, resolved) == []


def test_a_2mass_designation_is_read_as_a_position():
    ra, dec = rules.two_mass_position("2MASS J17454004-2900225")
    assert ra == pytest.approx((17 + 45 / 60 + 40.04 / 3600) * 15)
    assert dec == pytest.approx(-(29 + 0 / 60 + 22.5 / 3600))


def test_a_2mass_designation_far_from_simbads_position_is_flagged():
    # 2MASS J14153968+1910558 is at RA 213.91533, Dec +19.18217 (its name says so).
    name = "2MASS J14153968+1910558"
    near = RuleContext(stars={name: StarFacts("resolved", "* alf Boo", 213.915330, 19.182170)})
    far = RuleContext(stars={name: StarFacts("resolved", "* alf Boo", 213.915330, 19.192170)})
    assert codes(rules.two_mass_matches_simbad, near, id1=name) == []
    assert codes(rules.two_mass_matches_simbad, far, id1=name) == ["two_mass_far"]


def test_findings_name_the_column_and_say_what_to_do():
    row = SimpleNamespace(**{**BASE, "bibcode": "1997AJ....112.294D"})
    (finding,) = rules.check_row(row, RuleContext())
    assert (finding.column, finding.severity) == ("BIBCODE", "error")
    assert finding.message == "'1997AJ....112.294D' has 18 characters, a bibcode has 19."


def test_a_component_name_that_simbad_knows_only_as_the_system_suggests_sinpe():
    system = RuleContext(
        stars={"alf Cen A": StarFacts("resolved", "* alf Cen", 219.9, -60.8, "**")}
    )
    assert codes(rules.component_of_multiple_system, system, id1="alf Cen A") == [
        "component_of_system"
    ]
    assert codes(rules.component_of_multiple_system, system, id1="alf Cen A", sinpe=True) == []
    single = RuleContext(
        stars={"alf Cen A": StarFacts("resolved", "* alf Cen A", 219.9, -60.8, "*")}
    )
    assert codes(rules.component_of_multiple_system, single, id1="alf Cen A") == []


def test_a_note_that_fits_as_typed_but_not_as_vizier_writes_it_is_refused_with_both_lengths():
    row = SimpleNamespace(**{**BASE, "notes": "n" * 203 + "\u2026"})
    (finding,) = rules.fits_vizier_layout(row, RuleContext())
    assert (finding.column, finding.severity) == ("NOTES", "error")
    assert finding.message == (
        "204 characters, but 206 as VizieR writes them in ASCII ('\u2026' as '...'); "
        "the VizieR column holds 204: shorten it."
    )


def test_a_note_of_204_plain_characters_still_fits():
    assert codes(rules.fits_vizier_layout, notes="n" * 204) == []
    assert codes(rules.fits_vizier_layout, notes="n" * 203 + "\u00e9") == []  # é is written e


def test_an_error_larger_than_its_value_is_a_warning_as_in_the_published_catalogue():
    # HD186427, 2013MNRAS.433.1262W: LD 0.467 +- 0.49, published as such.
    row = SimpleNamespace(
        **{
            **BASE,
            "ud_diam": None,
            "ld_diam": 0.467,
            "e_ld_diam": 0.49,
            "bibcode": "2013MNRAS.433.1262W",
        }
    )
    (finding,) = rules.error_not_larger_than_value(row, RuleContext())
    assert (finding.severity, finding.code) == ("warning", "error_too_large")


def test_a_look_alike_letter_in_an_identifier_is_named_by_code_point_name_and_position():
    row = SimpleNamespace(**{**BASE, "id1": "\u041dD 360"})
    (finding,) = rules.identifiers_are_plain(row, RuleContext())
    assert (finding.column, finding.severity) == ("ID1", "error")
    assert finding.message.startswith(
        "U+041D CYRILLIC CAPITAL LETTER EN at position 1 is a Cyrillic letter among Latin ones"
    )


def test_a_bidi_control_is_named_by_code_point_name_and_position():
    row = SimpleNamespace(**{**BASE, "id1": "HD\u202e124897"})
    (finding,) = rules.identifiers_are_plain(row, RuleContext())
    assert finding.message.startswith("U+202E RIGHT-TO-LEFT OVERRIDE at position 3:")


@pytest.mark.parametrize(
    "name", ["\u03b2 Cas", "\u03ba-1 Cet", "\u03c7 -1 Ori", "\u03bf Cet", "alf Boo", "2.2 \u03bcm"]
)
def test_greek_bayer_letters_and_the_micron_are_not_mixed_scripts(name):
    assert codes(rules.identifiers_are_plain, id2=name, band=name) == []


def test_greek_letters_in_notes_are_fine():
    notes = "LD coefficient \u03bc\u03bb = 0.352, \u03c3 = 0.01 mas"
    assert rules.check_row(SimpleNamespace(**{**BASE, "notes": notes}), RuleContext()) == []


def test_a_duplicate_of_a_row_the_submitter_may_not_see_is_told_to_curators_only():
    context = RuleContext(unseen={("HD 124897", "2008A&A...485..561L"): [("K", 19.9, 20.91, 77)]})
    (finding,) = rules.not_a_published_duplicate(SimpleNamespace(**BASE), context)
    assert (finding.code, finding.severity, finding.audience) == (
        "duplicate_unseen", "warning", "curators",
    )  # fmt: skip
    assert finding.as_dict()["audience"] == "curators"
