"""The VizieR dump of the catalogue: ``jmdc.dat`` in the exact byte layout of II/345, and the
CDS ReadMe that describes it.

The column table (``jmdc.columns``) is the one description of the layout: the records are
written from it and the ReadMe's byte-by-byte description and notes are printed from it, so the
two cannot disagree. Its labels, formats, units and bytes are those of the published ReadMe of
II/345 (compared line by line in the tests).

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

from ..columns import BY_FIELD, COLUMNS, Column

LRECL = 335
README_WIDTH = 80
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class VizierLayoutError(ValueError):
    pass


def _noted() -> dict[str, int]:
    """The number of each column's note in the ReadMe: columns with a note, in order."""
    noted = [column.name for column in COLUMNS if column.vizier_note]
    return {name: number for number, name in enumerate(noted, start=1)}


NOTE_NUMBER = _noted()
NOTES = [column.vizier_note for column in COLUMNS if column.vizier_note]


def explanation(column: Column) -> str:
    """The ReadMe's explanation of a column: limits and null marker, the description, the
    portal's name of the column and the number of its note."""
    note = f" ({NOTE_NUMBER[column.name]})" if column.name in NOTE_NUMBER else ""
    limits = f"{column.vizier_limits} " if column.vizier_limits else ""
    return f"{limits}{column.description} ({column.name}){note}"


assert sum(c.width for c in COLUMNS) + len(COLUMNS) - 1 == LRECL
# What the layout allows, for the rules and the importer: text widths, and each real
# column's format with the largest value it can hold.
TEXT_WIDTHS = {c.field: c.width for c in COLUMNS if c.vizier_format[0] == "A"}
REAL_LIMITS = {c.field: (c.vizier_format, c.largest) for c in COLUMNS if c.vizier_format[0] == "F"}


def real_too_large(attr: str, value: float) -> str | None:
    """Why a value of a real column cannot be written in jmdc.dat ("does not fit VizieR's
    F7.4 (at most 99.9999)"), or None. Measured by printing it as the file does, so that a
    value rounding up past the limit (99.99996 is 100.0000) is caught as well."""
    column = BY_FIELD[attr]
    if len(f"{value:{column.width}.{column.decimals}f}") <= column.width:
        return None
    return f"{value} does not fit VizieR's {column.vizier_format} (at most {column.largest})"


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


def _formatter(column: Column):
    width, decimals = column.width, column.decimals
    null = column.vizier_null.rjust(width)
    kind, label, fmt = column.vizier_format[0], column.vizier_label, column.vizier_format

    def text(value: str) -> str:
        value = to_ascii(value or "")
        if len(value) > width:
            raise VizierLayoutError(
                f"{value[:40]!r} has {len(value)} characters, {label} holds {width}"
            )
        return value.ljust(width)

    def real(value: float | None) -> str:
        if value is None:
            return null
        formatted = f"{value:{width}.{decimals}f}"
        if len(formatted) > width:
            raise VizierLayoutError(f"{value} does not fit {label}'s {fmt}")
        return formatted

    def integer(value: int | bool | None) -> str:
        if value is None or value is False:  # SINPE: True is 1, False is null
            return null
        formatted = f"{int(value):{width}d}"
        if len(formatted) > width:
            raise VizierLayoutError(f"{value} does not fit {label}'s {fmt}")
        return formatted

    return {"A": text, "F": real, "I": integer}[kind]


FORMATTERS = [_formatter(column) for column in COLUMNS]


def format_record(values: tuple) -> str:
    """One line of jmdc.dat from the 12 catalogue values, in the order of ``COLUMNS``."""
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
    for column in COLUMNS:
        end = start + column.width - 1
        where = f"{start:4d}-{end:3d}" if end > start else f"{end:8d}"
        # Error columns (e_) start two characters left, so the measured names line up.
        label = column.vizier_label
        label = label if label.startswith("e_") else "  " + label
        head = f"{where}  {column.vizier_format:<6}{column.unit or '---':<6}{label:<12}"
        wrapped = textwrap.wrap(explanation(column), README_WIDTH - len(head))
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
