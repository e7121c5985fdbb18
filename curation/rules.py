"""Validation rules for submitted measurements.

Each rule is a small pure function ``rule(row, context) -> list[Finding]``: ``row`` has the
12 catalogue attributes (typed values, None for empty), ``context`` holds what the rules need
to know of the catalogue and of SIMBAD, gathered once per batch by ``build_context``. An
``error`` blocks submitting; a ``warning`` is acknowledged by the curator who accepts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable

from jmdc.columns import wavelength_in_microns
from jmdc.formats.vizier import REAL_LIMITS, TEXT_WIDTHS, real_too_large, to_ascii
from jmdc.models import COLUMN_NAME, BandCode, IdentificationState
from jmdc.predictions import PREDICTION_SIGMAS, compare, ld_ud_ratio
from lib.bibcodes import ADS_BIBCODE, PSEUDO_BIBCODE
from lib.findings import ERROR, WARNING, Finding
from lib.sky import separation
from lib.text import FORMULA_PREFIXES, identifier_problems

from .rules_context import RuleContext

# A finding only curators are shown (it speaks of rows the submitter may not see).
CURATORS = "curators"

COLUMN = COLUMN_NAME
TEXT_FIELDS = ("id1", "id2", "band", "notes", "bibcode")
IDENTIFIER_FIELDS = ("id1", "id2", "band", "bibcode")
# No star has been measured larger than ~60 mas (R Dor, Betelgeuse are ~45-60 mas).
LARGEST_PLAUSIBLE_MAS = 100.0
LD_UD_RATIO_RANGE = (0.99, 1.35)
MU_TOLERANCE = 0.02
TWO_MASS_TOLERANCE_ARCSEC = 2.0

# 2MASS Jhhmmssss+ddmmsss: RA to 0.01 s and Dec to 0.1 arcsec, digits only.
TWO_MASS = re.compile(
    r"2MASS\s*J?(\d{2})(\d{2})(\d{2})(\d{2})([+-])(\d{2})(\d{2})(\d{2})(\d)", re.I
)


def error(column: str, code: str, message: str) -> Finding:
    """A finding that blocks submitting, about ``column`` (its catalogue name)."""
    return Finding(column, ERROR, code, message)


def warning(column: str, code: str, message: str, *, audience: str = "") -> Finding:
    """A finding the accepting curator acknowledges (``audience``: CURATORS for theirs only)."""
    return Finding(column, WARNING, code, message, audience=audience)


Rule = Callable[[object, RuleContext], list[Finding]]


def _value(row, attr):
    return getattr(row, attr, None)


def identifier_present(row, context) -> list[Finding]:
    if not (_value(row, "id1") or "").strip():
        return [
            error(
                "ID1",
                "id1_missing",
                "ID1 is empty: give the star's name, HD preferred (e.g. HD 124897).",
            )
        ]
    return []


def ud_or_ld_present(row, context) -> list[Finding]:
    if _value(row, "ud_diam") is None and _value(row, "ld_diam") is None:
        return [
            error(
                "UD_DIAM",
                "no_diameter",
                "Neither UD_DIAM nor LD_DIAM has a value: give at least one.",
            )
        ]
    return []


def values_positive(row, context) -> list[Finding]:
    findings = []
    for attr in ("ud_diam", "ld_diam", "e_ld_diam"):
        value = _value(row, attr)
        if value is not None and value <= 0:
            findings.append(
                error(
                    COLUMN[attr],
                    "not_positive",
                    f"{value} is not positive: diameters and their error are in mas and above 0.",
                )
            )
    mu = _value(row, "mu_lambda")
    if mu is not None and mu < 0:
        findings.append(
            error(
                "MU_LAMBDA",
                "not_positive",
                f"{mu} is negative: a limb-darkening coefficient or an LD/UD ratio is not.",
            )
        )
    for attr in ("ud_diam", "ld_diam"):
        value = _value(row, attr)
        if value is not None and value > LARGEST_PLAUSIBLE_MAS:
            findings.append(
                warning(
                    COLUMN[attr],
                    "implausibly_large",
                    f"{value} mas is larger than any star measured so far (about 60 mas): check the unit (mas).",
                )
            )
    return findings


def error_not_larger_than_value(row, context) -> list[Finding]:
    e_ld = _value(row, "e_ld_diam")
    if e_ld is None:
        return [
            warning(
                "E_LD_DIAM",
                "error_missing",
                "E_LD_DIAM is empty: a measurement without its error is hard to use.",
            )
        ]
    diameters = [
        d for d in (_value(row, "ud_diam"), _value(row, "ld_diam")) if d is not None and d > 0
    ]
    # A warning, not an error: the published catalogue holds such a row (HD186427,
    # 2013MNRAS.433.1262W, LD 0.467 +- 0.49), a marginal resolution honestly reported.
    if e_ld > 0 and diameters and e_ld >= min(diameters):
        return [
            warning(
                "E_LD_DIAM",
                "error_too_large",
                f"the error {e_ld} is not smaller than the diameter {min(diameters)}: check both values.",
            )
        ]
    return []


def ld_ud_ratio_plausible(row, context) -> list[Finding]:
    ud, ld = _value(row, "ud_diam"), _value(row, "ld_diam")
    if not (ud and ld and ud > 0 and ld > 0):
        return []
    ratio = ld / ud
    low, high = LD_UD_RATIO_RANGE
    if not low <= ratio <= high:
        return [
            warning(
                "LD_DIAM",
                "ld_ud_ratio",
                f"LD/UD = {ratio:.3f}: limb darkening gives LD a little larger than UD (between {low} and {high}); check that UD and LD are not swapped or of different bands.",
            )
        ]
    return []


def mu_lambda_consistent(row, context) -> list[Finding]:
    """MU_LAMBDA holds two kinds of number: u < 1 is a linear limb-darkening coefficient
    (LD/UD ~ sqrt((1-u/3)/(1-7u/15))), a value >= 1 is the LD/UD ratio itself."""
    ud, ld, mu = _value(row, "ud_diam"), _value(row, "ld_diam"), _value(row, "mu_lambda")
    if mu is None or not (ud and ld and ud > 0 and ld > 0) or mu < 0:
        return []
    expected = ld_ud_ratio(mu)
    if expected is None:
        return []
    meaning = "a linear coefficient" if mu < 1 else "the LD/UD ratio"
    actual = ld / ud
    if abs(actual / expected - 1) > MU_TOLERANCE:
        return [
            warning(
                "MU_LAMBDA",
                "mu_lambda_inconsistent",
                f"read as {meaning}, MU_LAMBDA = {mu} predicts LD/UD = {expected:.4f}, but LD/UD = {actual:.4f}.",
            )
        ]
    return []


def method_known(row, context) -> list[Finding]:
    method = _value(row, "method")
    if method is None:
        return [
            error(
                "METHOD",
                "method_missing",
                "METHOD is empty: 1 optical interferometry, 2 lunar occultation, 3 intensity interferometry.",
            )
        ]
    if method not in (1, 2, 3):
        return [error("METHOD", "method_range", f"METHOD {method} is not 1, 2 or 3.")]
    return []


BAND_LETTERS = {label: code for code, label in BandCode.choices}
# Upper wavelength edge (microns) of each band, read off the codes the curators gave to
# single wavelengths in the 2020 catalogue (e.g. 710nm was R, 725nm was I).
BAND_EDGES = [(0.40, 1), (0.51, 2), (0.60, 3), (0.72, 4), (1.0, 5), (1.45, 6), (1.9, 7),
              (2.7, 8), (4.1, 9), (7.0, 10), (15.0, 11), (math.inf, 12)]  # fmt: skip


def band_codes_for(band: str) -> set[int] | None:
    """The band codes a BAND text can mean, or None when it cannot tell (ranges, Strömgren y...)."""
    text = band.strip().rstrip("?'").strip()
    if not text:
        return None
    if text.lower() == "halpha":
        return {4}
    letters = [part.strip().rstrip("'") for part in text.split(",")]
    if all(letter in BAND_LETTERS for letter in letters):
        return {BAND_LETTERS[letter] for letter in letters}
    microns = wavelength_in_microns(text)
    if microns is None:
        return None
    return {next(code for edge, code in BAND_EDGES if microns < edge)}


def bandcode_coherent(row, context) -> list[Finding]:
    code = _value(row, "bandcode")
    if code is None:
        return [
            warning(
                "BANDCODE",
                "bandcode_missing",
                "BANDCODE is empty: give 1..12 for U B V R I J H K L M N Q, or the letter.",
            )
        ]
    if not 1 <= code <= 12:
        return [
            error(
                "BANDCODE",
                "bandcode_range",
                f"BANDCODE {code} is not in 1..12 (U B V R I J H K L M N Q).",
            )
        ]
    expected = band_codes_for(_value(row, "band") or "")
    if expected is not None and code not in expected:
        names = " or ".join(BandCode(c).label for c in sorted(expected))
        return [
            warning(
                "BANDCODE",
                "band_mismatch",
                f"BAND {_value(row, 'band')!r} reads as {names}, but BANDCODE {code} is {BandCode(code).label}.",
            )
        ]
    return []


def _spelled_out(value: str) -> str:
    """The characters VizieR's ASCII writes longer, as the user will read them: '…' as '...'."""
    longer = sorted({ch for ch in value if len(to_ascii(ch)) > 1})
    return ", ".join(f"{ch!r} as {to_ascii(ch)!r}" for ch in longer[:5])


def fits_vizier_layout(row, context) -> list[Finding]:
    """Text widths as the exports write them: the text itself (CSV, Excel, VOTable, JSON and
    the database hold it as typed) and its ASCII folding in jmdc.dat, which can be longer
    (… is written ...): the longer of the two must fit."""
    findings = []
    for attr, width in TEXT_WIDTHS.items():
        value = _value(row, attr) or ""
        written = len(to_ascii(value))
        if len(value) > width and len(value) >= written:
            message = f"{len(value)} characters; the VizieR column holds {width}: shorten it."
        elif written > width:
            message = (
                f"{len(value)} characters, but {written} as VizieR writes them in ASCII "
                f"({_spelled_out(value)}); the VizieR column holds {width}: shorten it."
            )
        else:
            continue
        findings.append(error(COLUMN[attr], "too_long", message))
    # The limits of the real columns, from the same layout as the importer's (negative
    # values are values_positive's to refuse).
    for attr in REAL_LIMITS:
        value = _value(row, attr)
        if value is not None and value > 0 and (problem := real_too_large(attr, value)):
            findings.append(error(COLUMN[attr], "too_large_for_format", problem + "."))
    return findings


def identifiers_are_plain(row, context) -> list[Finding]:
    """Invisible, bidirectional and look-alike characters make a name that looks like another
    star's: refused in identifiers and codes (lib.text says which character, and where)."""
    return [
        Finding(COLUMN[attr], problem.severity, problem.code, problem.message)
        for attr in IDENTIFIER_FIELDS
        for problem in identifier_problems(_value(row, attr) or "", band=attr == "band")
    ]


def no_spreadsheet_formula(row, context) -> list[Finding]:
    findings = []
    for attr in TEXT_FIELDS:
        value = _value(row, attr) or ""
        if value.startswith(FORMULA_PREFIXES):
            findings.append(
                error(
                    COLUMN[attr],
                    "formula",
                    f"text may not start with {value[0]!r} (a spreadsheet would run it as a formula): remove that character.",
                )
            )
    return findings


def bibcode_valid(row, context) -> list[Finding]:
    bibcode = _value(row, "bibcode") or ""
    if not bibcode:
        return [
            error(
                "BIBCODE",
                "bibcode_missing",
                "BIBCODE is empty: give the ADS bibcode of the publication (19 characters).",
            )
        ]
    if PSEUDO_BIBCODE.match(bibcode):
        if not (_value(row, "notes") or "").strip():
            return [
                error(
                    "BIBCODE",
                    "pseudo_bibcode_without_citation",
                    f"{bibcode!r} is a pseudo-bibcode for a reference not in ADS: put the citation in NOTES.",
                )
            ]
        return []
    if len(bibcode) != 19:
        return [
            error(
                "BIBCODE",
                "bibcode_length",
                f"{bibcode!r} has {len(bibcode)} characters, a bibcode has 19.",
            )
        ]
    if not ADS_BIBCODE.match(bibcode):
        return [
            error(
                "BIBCODE",
                "bibcode_pattern",
                f"{bibcode!r} is not an ADS bibcode (YYYYJJJJJVVVVMPPPPA), nor a pseudo-bibcode (the year and 15 dots).",
            )
        ]
    return []


def not_a_published_duplicate(row, context) -> list[Finding]:
    # The star, not its spelling: HD 10700 is a duplicate of a row published as HD10700.
    key = (context.identity(_value(row, "id1") or ""), _value(row, "bibcode") or "")

    def same(entries) -> int | None:
        for band, ud, ld, pk in entries:
            if (
                band == (_value(row, "band") or "")
                and ud == _value(row, "ud_diam")
                and ld == _value(row, "ld_diam")
            ):
                return pk
        return None

    pk = same(context.published.get(key, []))
    if pk is not None:
        return [
            warning(
                "ID1",
                "duplicate",
                f"the catalogue already has this star, bibcode, band and values (measurement {pk}): is this a duplicate?",
            )
        ]
    pk = same(context.unseen.get(key, []))
    if pk is not None:
        return [
            warning(
                "ID1",
                "duplicate_unseen",
                f"measurement {pk}, which the submitter may not see (embargoed for another group), has this star, bibcode, band and values: check that this is not a duplicate before accepting.",
                audience=CURATORS,
            )
        ]
    return []


# The words of every page (jmdc.models.IdentificationState), so a finding and the page's
# identification line say the same thing.
STATES = IdentificationState.STATES


def simbad_identified(row, context) -> list[Finding]:
    facts = context.stars.get((_value(row, "id1") or "").strip())
    if facts is None or facts.status in ("pending", "resolved"):
        return []
    if facts.status == "not_found":
        return [
            warning(
                "ID1",
                "simbad_not_found",
                f"{STATES['not_found']}: check the name; a curator can name the object by hand.",
            )
        ]
    if facts.status == "ambiguous":
        return [
            warning(
                "ID1",
                "simbad_ambiguous",
                f"{STATES['ambiguous']}: several objects have this name; a curator names the right one by hand.",
            )
        ]
    return [
        warning(
            "ID1",
            "simbad_error",
            f"{STATES['unreachable']}: the portal asks again by itself (see Identification above).",
        )
    ]


def two_mass_position(name: str) -> tuple[float, float] | None:
    match = TWO_MASS.search(name)
    if not match:
        return None
    hh, mm, ss, cs, sign, dd, dm, ds, ts = match.groups()
    ra = (int(hh) + int(mm) / 60 + (int(ss) + int(cs) / 100) / 3600) * 15
    dec = int(dd) + int(dm) / 60 + (int(ds) + int(ts) / 10) / 3600
    return ra, -dec if sign == "-" else dec


def two_mass_matches_simbad(row, context) -> list[Finding]:
    facts = context.stars.get((_value(row, "id1") or "").strip())
    if facts is None or facts.ra is None or facts.dec is None:
        return []
    for attr in ("id1", "id2"):
        position = two_mass_position(_value(row, attr) or "")
        if position:
            separation_arcsec = separation(*position, facts.ra, facts.dec) * 3600
            if separation_arcsec > TWO_MASS_TOLERANCE_ARCSEC:
                return [
                    warning(
                        COLUMN[attr],
                        "two_mass_far",
                        f"the 2MASS designation is {separation_arcsec:.1f} arcsec from SIMBAD's position of {facts.main_id or 'the star'}: check the identifier.",
                    )
                ]
    return []


COMPONENT_SUFFIX = re.compile(r"\s(?:[A-D]|[A-D][a-d])$")
MULTIPLE_OTYPES = {"**", "SB*", "EB*"}


def component_of_multiple_system(row, context) -> list[Finding]:
    """A name for one component that SIMBAD only knows as the whole system."""
    name = (_value(row, "id1") or "").strip()
    facts = context.stars.get(name)
    if facts is None or facts.status != "resolved" or _value(row, "sinpe"):
        return []
    if facts.otype.strip() in MULTIPLE_OTYPES and COMPONENT_SUFFIX.search(name):
        return [
            warning(
                "SINPE",
                "component_of_system",
                f"SIMBAD identifies {name!r} with the system {facts.main_id!r} (type {facts.otype.strip()}): set SINPE, the identifier is not precise enough.",
            )
        ]
    return []


def _mas(value: float, error: float | None) -> str:
    return (
        f"{value:.3f} ± {error:.3f} mas"
        if error is not None
        else f"{value:.3f} mas (no error given)"
    )


def close_to_prediction(row, context) -> list[Finding]:
    """A measured LD diameter (or a UD converted with MU_LAMBDA) far from the JSDC's
    photometric prediction for the star (jmdc.predictions): a wrong star, unit or value, or a
    star that is not what photometry thinks it is; either way the curator looks."""
    facts = context.stars.get((_value(row, "id1") or "").strip())
    comparison = compare(
        ud=_value(row, "ud_diam"),
        ld=_value(row, "ld_diam"),
        e_ld=_value(row, "e_ld_diam"),
        mu_lambda=_value(row, "mu_lambda"),
        prediction=facts.prediction if facts else None,
    )
    if comparison is None or comparison.sigmas <= PREDICTION_SIGMAS:
        return []
    measured = _mas(comparison.measured, comparison.error)
    if comparison.ud is not None and comparison.mu_lambda is not None:
        mu = comparison.mu_lambda
        meaning = "a linear limb-darkening coefficient" if mu < 1 else "the LD/UD ratio"
        measured = f"UD {comparison.ud:.3f} mas, converted with MU_LAMBDA {mu:g} ({meaning}) to LD {measured},"
    else:
        measured = f"LD {measured}"
    predicted = comparison.prediction
    return [
        warning(
            comparison.column,
            "far_from_prediction",
            f"{measured} is {comparison.sigmas:.1f} sigma (combined errors) from the photometric prediction {predicted} of {predicted.source_words}, as of {predicted.as_of:%Y-%m-%d}: check the value, its unit and the star.{_cautions(predicted)}",
        )
    ]


def _cautions(prediction) -> str:
    """JMMC's own reasons for caution about the prediction, said in the finding: a Mira or a
    close pair often is far from its photometric diameter without any error in the row."""
    if not prediction.cautions:
        return ""
    return " JMMC flags this prediction: " + "; ".join(prediction.cautions) + "."


RULES: list[Rule] = [
    identifier_present,
    ud_or_ld_present,
    values_positive,
    error_not_larger_than_value,
    ld_ud_ratio_plausible,
    mu_lambda_consistent,
    method_known,
    bandcode_coherent,
    fits_vizier_layout,
    identifiers_are_plain,
    no_spreadsheet_formula,
    bibcode_valid,
    not_a_published_duplicate,
    simbad_identified,
    two_mass_matches_simbad,
    component_of_multiple_system,
    close_to_prediction,
]


def check_row(row, context: RuleContext, rules: Iterable[Rule] = RULES) -> list[Finding]:
    return [finding for rule in rules for finding in rule(row, context)]
