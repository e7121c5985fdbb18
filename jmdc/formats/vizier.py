"""The VizieR dump of the catalogue: ``jmdc.dat`` in the exact byte layout of II/345, and the
CDS ReadMe that describes it.

``DAT_COLUMNS`` is the one description of the layout: the records are written from it and the
ReadMe's byte-by-byte description is printed from it, so the two cannot disagree. The labels,
formats, units and bytes are those of the published ReadMe of II/345 (compared line by line in
the tests). One deliberate difference: METHOD is declared nullable (``[1/3]?``), because 70
legacy rows have no method and VizieR must read their blank as null, not as an error.

We write the ReadMe ourselves rather than with cdspyreadme: that library derives each column's
format from the data (an F7.4 becomes an F6.4 when no value reaches 10 mas), while existing
readers of II/345 depend on fixed bytes.

Records are ASCII, 335 bytes (the ReadMe's Lrecl), ``-`` for null where the ReadMe declares
``?=-``. A value that cannot fit its format is an error naming the row: VizieR would read a
shifted line.
"""

from __future__ import annotations

import datetime
import textwrap
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..models import CATALOGUE_FIELDS

LRECL = 335
README_WIDTH = 80
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class VizierLayoutError(ValueError):
    pass


@dataclass(frozen=True)
class DatColumn:
    label: str  # the VizieR label
    fmt: str  # A28, F9.5, I2
    unit: str
    explanation: str  # starts with the null marker and limits, as the ReadMe writes them
    null: str = ""  # what a null value is written as ("" = blanks)

    @property
    def width(self) -> int:
        return int(self.fmt[1:].split(".")[0])

    @property
    def decimals(self) -> int:
        return int(self.fmt.split(".")[1]) if "." in self.fmt else 0

    @property
    def largest(self) -> float:
        """The largest value an F column prints in its width (F7.4: 99.9999)."""
        return round(10 ** (self.width - self.decimals - 1) - 10**-self.decimals, self.decimals)


DAT_COLUMNS = [
    DatColumn("ID1", "A28", "---", "Normalised star name, HD preferred (ID1)"),
    DatColumn("ID2", "A28", "---", "Name used in the publication (ID2) (1)"),
    DatColumn("UDdiam", "F9.5", "mas", "?=- Uniform disk diameter (UD_DIAM)", "-"),
    DatColumn("LDdiam", "F7.4", "mas", "?=- Limb-darkened disk diameter (LD_DIAM)", "-"),
    DatColumn("e_LDdiam", "F8.4", "mas", "?=- Error on UDdiam and LDdiam (E_LD_DIAM) (2)", "-"),
    DatColumn("Band", "A10", "---", "Band or wavelength (BAND) (3)"),
    DatColumn(
        "mu-lambda",
        "F7.5",
        "---",
        "?=- UDD-to-LDD conversion used by the authors, when known (MU_LAMBDA) (4)",
        "-",
    ),
    DatColumn("Method", "I1", "---", "[1/3]? Observing method code (METHOD) (5)"),
    DatColumn("BandCode", "I2", "---", "?=- Code of the band (BANDCODE) (6)", "-"),
    DatColumn("Notes", "A204", "---", "Notes on the star and/or the measurement (NOTES)"),
    DatColumn("BibCode", "A19", "---", "Bibcode of the publication (BIBCODE) (7)"),
    DatColumn("SINPE", "I1", "---", "? Flag: imprecise SIMBAD name (SINPE) (8)"),
]
assert sum(c.width for c in DAT_COLUMNS) + len(DAT_COLUMNS) - 1 == LRECL
_BY_ATTR = dict(zip(CATALOGUE_FIELDS, DAT_COLUMNS, strict=True))
# What the layout allows, for the rules and the importer: text widths, and each real
# column's format with the largest value it can hold.
TEXT_WIDTHS = {attr: c.width for attr, c in _BY_ATTR.items() if c.fmt[0] == "A"}
REAL_LIMITS = {attr: (c.fmt, c.largest) for attr, c in _BY_ATTR.items() if c.fmt[0] == "F"}


def real_too_large(attr: str, value: float) -> str | None:
    """Why a value of a real column cannot be written in jmdc.dat ("does not fit VizieR's
    F7.4 (at most 99.9999)"), or None. Measured by printing it as the file does, so that a
    value rounding up past the limit (99.99996 is 100.0000) is caught as well."""
    column = _BY_ATTR[attr]
    if len(f"{value:{column.width}.{column.decimals}f}") <= column.width:
        return None
    return f"{value} does not fit VizieR's {column.fmt} (at most {column.largest})"


NOTES = [
    "Provided the publication's name is known to the Sesame name resolver.",
    "In general the published error on the LD or UD diameter, which are essentially "
    "equivalent. A null error means no error was published, or that the measurement is "
    "(retrospectively) in doubt, with the explanation in Notes.",
    "A loosely defined string giving the band (UBVRIJHKLMNQ) or the central wavelength of "
    "the observation, in microns unless written otherwise (A for Angstroem, nm for nanometer).",
    "Below 1: the linear limb-darkening coefficient; 1 or more: the LD/UD ratio itself.",
    "Code of the observing method as follows:\n"
    "    1 = optical interferometry\n"
    "    2 = lunar occultation\n"
    "    3 = intensity interferometry\n"
    "Blank for a few early entries whose method was never recorded.",
    "Index from 1 (band U) up through the bands B, V, R, I, J, H, K, L, M, N, Q (12).",
    "An ADS bibcode, or for references ADS does not hold the year followed by dots, the "
    "reference being given in Notes.",
    "1 when the SIMBAD identifier is not precise enough for this object, usually a "
    "component of a close double star.",
]


def to_ascii(text: str) -> str:
    """VizieR files are ASCII: accents are dropped (é -> e), compatibility characters are
    spelled out (… -> ..., ﬃ -> ffi, ½ -> 1?2, ™ -> TM), the micro sign and the Greek mu of
    a micron (2.2µm, 2.2μm in BAND) are written u, other characters become '?'.

    The one folding of the VizieR files: the rules and the importer measure a text's width
    with it (``written_width``), so what they accept is what fits here.
    """
    # NFKD makes the micro sign (U+00B5) a Greek mu (U+03BC); u is how ASCII writes microns.
    decomposed = unicodedata.normalize("NFKD", text).replace("\u03bc", "u")
    return (
        "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        .encode("ascii", "replace")
        .decode()
    )


def written_width(text: str) -> int:
    """How many characters ``text`` takes in jmdc.dat (after the ASCII folding)."""
    return len(to_ascii(text))


def _formatter(column: DatColumn):
    width, decimals, null = column.width, column.decimals, column.null.rjust(column.width)
    kind = column.fmt[0]

    def text(value: str) -> str:
        value = to_ascii(value or "")
        if len(value) > width:
            raise VizierLayoutError(
                f"{value[:40]!r} has {len(value)} characters, {column.label} holds {width}"
            )
        return value.ljust(width)

    def real(value: float | None) -> str:
        if value is None:
            return null
        formatted = f"{value:{width}.{decimals}f}"
        if len(formatted) > width:
            raise VizierLayoutError(f"{value} does not fit {column.label}'s {column.fmt}")
        return formatted

    def integer(value: int | bool | None) -> str:
        if value is None or value is False:  # SINPE: True is 1, False is null
            return null
        formatted = f"{int(value):{width}d}"
        if len(formatted) > width:
            raise VizierLayoutError(f"{value} does not fit {column.label}'s {column.fmt}")
        return formatted

    return {"A": text, "F": real, "I": integer}[kind]


FORMATTERS = [_formatter(column) for column in DAT_COLUMNS]


def format_record(values: tuple) -> str:
    """One line of jmdc.dat from the 12 catalogue values, in CATALOGUE_COLUMNS order."""
    return " ".join([fmt(value) for fmt, value in zip(FORMATTERS, values, strict=True)])


def iter_jmdc_dat(rows: Iterable[tuple]) -> Iterator[str]:
    """jmdc.dat from rows of the 12 catalogue values, in export order (``export_values()``)."""
    buffer = []
    for number, values in enumerate(rows, start=1):
        try:
            buffer.append(format_record(values) + "\n")
        except VizierLayoutError as exc:
            raise VizierLayoutError(f"row {number} ({values[0]}, {values[10]}): {exc}") from exc
        if len(buffer) >= 2000:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def cds_date(day: datetime.date) -> str:
    """28-Nov-2016, whatever the locale."""
    return f"{day.day:02d}-{MONTHS[day.month - 1]}-{day.year}"


def _paragraphs(text: str, indent: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.strip().split("\n\n"):
        if lines:
            lines.append("")
        lines += textwrap.wrap(
            " ".join(paragraph.split()),
            README_WIDTH,
            initial_indent=" " * indent,
            subsequent_indent=" " * indent,
        )
    return lines


def byte_by_byte_lines() -> list[str]:
    """The byte-by-byte description of jmdc.dat, in the CDS layout."""
    rule = "-" * README_WIDTH
    lines = [
        "Byte-by-byte Description of file: jmdc.dat",
        rule,
        "   Bytes Format Units   Label     Explanations",
        rule,
    ]
    start = 1
    for column in DAT_COLUMNS:
        end = start + column.width - 1
        where = f"{start:4d}-{end:3d}" if end > start else f"{end:8d}"
        # Error columns (e_) start two characters left, so the measured names line up.
        label = column.label if column.label.startswith("e_") else "  " + column.label
        head = f"{where}  {column.fmt:<6}{column.unit:<6}{label:<12}"
        wrapped = textwrap.wrap(column.explanation, README_WIDTH - len(head))
        lines.append(head + wrapped[0])
        lines += textwrap.wrap(
            " ".join(wrapped[1:]), README_WIDTH, initial_indent=" " * (len(head) + 1),
            subsequent_indent=" " * (len(head) + 1),
        )  # fmt: skip
        start = end + 2
    lines.append(rule)
    for number, note in enumerate(NOTES, start=1):
        first, *more = note.split("\n")
        lines += textwrap.wrap(f"Note ({number}): {first}", README_WIDTH, subsequent_indent="  ")
        for part in more:  # indented lines are a listing, kept as they are
            lines += (
                [part]
                if part.startswith("    ")
                else textwrap.wrap(part, README_WIDTH, initial_indent="  ", subsequent_indent="  ")
            )
    lines.append(rule)
    return lines


@dataclass(frozen=True)
class ReadmeRelease:
    """What the ReadMe says about one release, this one or an earlier one."""

    version: str
    date: datetime.date
    records: int


def write_readme(release: ReadmeRelease, *, stars: int, history: list[ReadmeRelease]) -> str:
    """The CDS ReadMe of a release: ASCII, lines of at most 80 characters.

    ``history`` lists the releases up to and including this one, oldest first.
    """
    rule = "=" * README_WIDTH
    dash = "-" * README_WIDTH
    title = "JMDC : JMMC Measured Stellar Diameters Catalogue"
    first = "II/345".ljust(15) + title
    first += "(Duvert, 2016)".rjust(README_WIDTH - len(first))
    lines = [
        first,
        rule,
        "Compendium of Direct Measurement of Apparent Stellar Diameters.",
        "(Initially introduced as part of Chelli et al., 2016A&A...589A.112C).",
        "   Duvert G.",
        "   <JMMC center (2016)>",
        "   =2016yCat.2345....0D",
        rule,
        "ADC_Keywords: Stars, diameters",
        "Keywords: stars: fundamental parameters - techniques: data analysis -",
        "          techniques: interferometric - astronomical database: miscellaneous -",
        "          catalogs",
        "",
        "Abstract:",
        *_paragraphs(
            "The JMDC lists the stellar apparent diameters measured with direct techniques "
            "(optical interferometry, intensity interferometry and lunar occultations) "
            "published since Michelson's first experiments: one uniform-disk and/or "
            "limb-darkened diameter for each published measurement, with its band, error, "
            "method and reference.",
            4,
        ),
        "",
        "Description:",
        *_paragraphs(
            "Astronomers submit new measurements through the JMDC portal of the JMMC, "
            "where curators check them against the publication and identify each star "
            "in SIMBAD before they enter the catalogue; the copy at CDS is updated from "
            f"the portal's releases.\n\nThis is release {release.version} of "
            f"{cds_date(release.date)}: {release.records} measurements of {stars} stars.",
            4,
        ),
        "",
        "File Summary:",
        dash,
        " FileName      Lrecl  Records   Explanations",
        dash,
        f"{'ReadMe':<14}{README_WIDTH:>6}{'.':>9}   This file",
        f"{'jmdc.dat':<14}{LRECL:>6}{release.records:>9}   JMMC Measured stellar Diameters Catalog",
        dash,
        "",
        "See also:",
        "        II/224 : Catalog of Stellar Diameters (CADARS)",
        "                                                 (Pasinetti-Fracassini+ 2001)",
        " J/A+A/431/773 : CHARM2, an updated of CHARM catalog (Richichi+, 2005)",
        "",
        *byte_by_byte_lines(),
        "",
        "History:",
        *[
            f"  * {cds_date(r.date)}: release {r.version} with {r.records} measurements"
            for r in history
        ],
        "",
        "Acknowledgements:",
        "    Gilles Duvert, gilles.duvert(at)univ-grenoble-alpes.fr",
        "",
        rule,
        "(End)  JMDC portal, JMMC".ljust(README_WIDTH - 11) + cds_date(release.date),
    ]
    text = "\n".join(lines) + "\n"
    too_long = [line for line in lines if len(line) > README_WIDTH]
    if too_long:  # the release fails with the reason, rather than stay "building"
        raise VizierLayoutError(
            f"ReadMe: {len(too_long)} line(s) longer than {README_WIDTH} characters, "
            f"e.g. {too_long[0]!r}"
        )
    return to_ascii(text)
