"""Reading JMMC's own cross-match of the catalogue, and importing it as what that source says.

A cross-match table (the 2020 one: ``../shared/jmdc/crossmatch/``, made by SearchCal from
SIMBAD and photometric catalogues) gives, for each ID1, a position, catalogue numbers,
spectral and object types, V/J/H/K magnitudes and SearchCal's predicted diameter. It is a
dated snapshot: its facts are stored as ``SourceFacts(source=crossmatch)`` with the file and
the date of the assertion, never written into the star's own (SIMBAD) fields, so that no page
passes them off as a live SIMBAD answer.

``read_crossmatch`` is pure: rows, and the problems of the rows it refuses (line, column,
reason). ``import_crossmatch`` writes in one transaction and only when no row is refused:
nothing is half-imported. A row whose name is not in the catalogue is reported and skipped,
not refused: the table describes stars, not catalogue rows, so a catalogue that has since
merged, renamed or not yet loaded a star should still get the facts of every other star.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from lib.numbers import NotADecimal, decimal_number
from lib.text import NotText, clean_identifier, decode_bytes

from ..models import SourceFacts, Star

# The table's columns as JMMC's file writes them (PROVENANCE.md of the 2020 file).
COLUMNS = (
    "ID1", "SIMBAD", "RAJ2000", "DEJ2000", "HD", "HIP", "_2MASS", "GAIA", "SPTYPE", "OBJTYPES",
    "V", "J", "H", "K", "TEFF", "LDD", "E_LDD", "DIAM_VK", "E_DIAM_VK", "CALFLAG",
)  # fmt: skip
NUMBER_COLUMNS = ("V", "J", "H", "K", "TEFF", "LDD", "E_LDD", "DIAM_VK", "E_DIAM_VK", "CALFLAG")
CATALOGUE_NUMBER = re.compile(r"\d+")
TWO_MASS = re.compile(r"\d{8}[+-]\d{7}")
GAIA_SOURCE = re.compile(r"\d+")
# The widest text each fact may have (the SourceFacts columns).
WIDTHS = {
    "ID1": Star._meta.get_field("name").max_length,
    "HD": SourceFacts._meta.get_field("hd").max_length,
    "HIP": SourceFacts._meta.get_field("hip").max_length,
    "SIMBAD": SourceFacts._meta.get_field("queried_as").max_length,
    "SPTYPE": SourceFacts._meta.get_field("sp_type").max_length,
    "OBJTYPES": SourceFacts._meta.get_field("object_types").max_length,
    "GAIA": SourceFacts._meta.get_field("gaia").max_length,
}
REPORTED_NAMES = 20  # unknown names listed one by one; the rest are counted


class CrossmatchFileError(Exception):
    """The file as a whole cannot be read as a cross-match table (not text, wrong columns)."""


@dataclass(frozen=True)
class CrossmatchRow:
    line: int
    id1: str
    queried_as: str
    ra: float | None
    dec: float | None
    hd: str
    hip: str
    two_mass: str
    gaia: str
    sp_type: str
    object_types: str
    v_mag: float | None
    j_mag: float | None
    h_mag: float | None
    k_mag: float | None
    teff: float | None
    ldd: float | None
    e_ldd: float | None
    cal_flag: int | None = None


@dataclass
class CrossmatchFile:
    rows: list[CrossmatchRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "line 12, column V: ..."


def object_type_list(text: str, separator: str = ",") -> str:
    """Object type codes as one comma-separated list: the cross-match writes
    ``,X,*iA,UV,`` and SIMBAD ``*|**|IR``; codes contain neither separator."""
    return ",".join(code.strip() for code in text.split(separator) if code.strip())


def read_crossmatch(data: bytes) -> CrossmatchFile:
    try:
        text, _guessed = decode_bytes(data)
    except NotText as exc:
        raise CrossmatchFileError(f"this is not a text file ({exc})") from exc
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise CrossmatchFileError("the file is empty: a cross-match table starts with its header")
    names = [clean_identifier(name).text.upper() for name in header]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise CrossmatchFileError(
            f"the header names {', '.join(twice)} more than once: which one holds the value "
            "cannot be told; keep one column of each name"
        )
    unknown = [name for name in names if name not in COLUMNS]
    missing = [name for name in COLUMNS if name not in names]
    if unknown or missing:
        said = []
        if unknown:
            said.append(f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
        if missing:
            said.append(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
        raise CrossmatchFileError(
            f"{' and '.join(said)}: a cross-match table has the columns {', '.join(COLUMNS)}"
        )
    result = CrossmatchFile()
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(names):
            result.problems.append(
                f"line {line}: {len(cells)} cells where the header has {len(names)} columns"
            )
            continue
        row = _row(line, dict(zip(names, cells, strict=True)), result.problems)
        if row is not None:
            result.rows.append(row)
    return result


def _row(line: int, cells: dict[str, str], problems: list[str]) -> CrossmatchRow | None:
    found: list[str] = []

    def problem(column: str, message: str) -> None:
        found.append(f"line {line}, column {column}: {message}")

    value = {column: clean_identifier(text).text for column, text in cells.items()}
    numbers: dict[str, float | None] = {}
    for column in ("RAJ2000", "DEJ2000", *NUMBER_COLUMNS):
        numbers[column] = None
        if value[column]:
            try:
                numbers[column] = decimal_number(value[column])
            except NotADecimal as exc:
                problem(column, f"{exc}; leave the cell empty when the value is unknown")
    if not value["ID1"]:
        problem("ID1", "no name: every row names the star it describes")
    ra, dec = numbers["RAJ2000"], numbers["DEJ2000"]
    flag = numbers["CALFLAG"]
    if flag is not None and (flag != int(flag) or not 0 <= flag <= 7):
        problem("CALFLAG", f"{value['CALFLAG']} is not a CalFlag: a bit field from 0 to 7")
    if ra is not None and not 0 <= ra < 360:
        problem("RAJ2000", f"{value['RAJ2000']} is out of range: RA is in degrees, 0 to 360")
    if dec is not None and not -90 <= dec <= 90:
        problem("DEJ2000", f"{value['DEJ2000']} is out of range: Dec is in degrees, -90 to +90")
    if (ra is None) != (dec is None):
        problem("RAJ2000" if ra is None else "DEJ2000", "a position needs both RA and Dec")
    for column, field_width in WIDTHS.items():
        if len(value[column]) > field_width:
            problem(column, f"{len(value[column])} characters, at most {field_width}")
    for column, pattern, example in (
        ("HD", CATALOGUE_NUMBER, "36267"),
        ("HIP", CATALOGUE_NUMBER, "25813"),
        ("_2MASS", TWO_MASS, "05304706+0556536"),
        ("GAIA", GAIA_SOURCE, "3237714611660197632"),
    ):
        if value[column] and not pattern.fullmatch(value[column]):
            problem(
                column, f"{value[column]!r} is not a {column.strip('_')} number (e.g. {example})"
            )
    if numbers["LDD"] is not None and numbers["LDD"] <= 0:
        problem("LDD", f"{value['LDD']}: a predicted diameter is positive")
    if numbers["E_LDD"] is not None and numbers["E_LDD"] < 0:
        problem("E_LDD", f"{value['E_LDD']}: an error is not negative")
    object_types = object_type_list(value["OBJTYPES"])
    if len(object_types) > WIDTHS["OBJTYPES"]:
        problem("OBJTYPES", f"{len(object_types)} characters, at most {WIDTHS['OBJTYPES']}")
    if found:
        problems.extend(found)
        return None
    return CrossmatchRow(
        line=line,
        id1=value["ID1"],
        queried_as=value["SIMBAD"],
        ra=ra,
        dec=dec,
        hd=f"HD {value['HD']}" if value["HD"] else "",
        hip=f"HIP {value['HIP']}" if value["HIP"] else "",
        two_mass=f"2MASS J{value['_2MASS']}" if value["_2MASS"] else "",
        gaia=value["GAIA"],  # the table does not say which Gaia release: kept as written
        sp_type=value["SPTYPE"],
        object_types=object_types,
        v_mag=numbers["V"],
        j_mag=numbers["J"],
        h_mag=numbers["H"],
        k_mag=numbers["K"],
        teff=numbers["TEFF"],
        ldd=numbers["LDD"],
        e_ldd=numbers["E_LDD"],
        cal_flag=int(numbers["CALFLAG"]) if numbers["CALFLAG"] is not None else None,
    )


class CrossmatchRefused(Exception):
    """Rows were refused: nothing was imported. ``problems`` says which and why."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}")
        self.problems = problems


@dataclass
class CrossmatchImport:
    rows: int = 0
    stars: int = 0
    unknown_names: list[str] = field(default_factory=list)
    same_star: list[str] = field(default_factory=list)  # rows skipped: their star had a row

    def report_lines(self) -> list[str]:
        lines = []
        if self.unknown_names:
            listed = ", ".join(self.unknown_names[:REPORTED_NAMES])
            more = len(self.unknown_names) - REPORTED_NAMES
            lines.append(
                f"{len(self.unknown_names)} name{'s' if len(self.unknown_names) != 1 else ''} "
                f"not in the catalogue, skipped: {listed}{f' and {more} more' if more > 0 else ''}"
            )
        lines.extend(self.same_star)
        lines.append(
            f"{self.rows} rows read: cross-match facts for {self.stars} "
            f"star{'s' if self.stars != 1 else ''} of the catalogue."
        )
        return lines


def import_crossmatch(
    path: Path, *, as_of: datetime.date, reference: str = "", data: bytes | None = None
) -> CrossmatchImport:
    """Store each row's facts as the cross-match's word on its star (found by name through
    ``Star.objects.named``), replacing what an earlier import of a cross-match said of that
    star. Raises ``CrossmatchFileError`` or ``CrossmatchRefused``, having written nothing."""
    parsed = read_crossmatch(path.read_bytes() if data is None else data)
    if parsed.problems:
        raise CrossmatchRefused(parsed.problems)
    reference = (f"{path.name}; {reference}" if reference else path.name)[:300]
    result = CrossmatchImport(rows=len(parsed.rows))
    stars = Star.objects.named(row.id1 for row in parsed.rows)
    facts: dict[int, SourceFacts] = {}
    first_line: dict[int, int] = {}
    for row in parsed.rows:
        star = stars.get(row.id1)
        if star is None:
            result.unknown_names.append(row.id1)
            continue
        if star.pk in facts:
            result.same_star.append(
                f"line {row.line}: {row.id1!r} is the star {star.name} of line "
                f"{first_line[star.pk]}; the first row is kept"
            )
            continue
        first_line[star.pk] = row.line
        facts[star.pk] = SourceFacts(
            star=star,
            source=SourceFacts.Source.CROSSMATCH,
            reference=reference,
            as_of=as_of,
            queried_as=row.queried_as,
            ra=row.ra,
            dec=row.dec,
            hd=row.hd,
            hip=row.hip,
            two_mass=row.two_mass,
            gaia=row.gaia,
            sp_type=row.sp_type,
            object_types=row.object_types,
            v_mag=row.v_mag,
            j_mag=row.j_mag,
            h_mag=row.h_mag,
            k_mag=row.k_mag,
            teff=row.teff,
            ldd=row.ldd,
            e_ldd=row.e_ldd,
            cal_flag=row.cal_flag,
        )
    with transaction.atomic():
        # One word per star and source: a new cross-match replaces the old one's facts of the
        # stars it describes, and leaves those of other stars (a supplement for stars added
        # since keeps the 2020 facts of the rest).
        ids = list(facts)
        for start in range(0, len(ids), 500):
            SourceFacts.objects.filter(
                source=SourceFacts.Source.CROSSMATCH, star_id__in=ids[start : start + 500]
            ).delete()
        SourceFacts.objects.bulk_create(facts.values(), batch_size=500)
    result.stars = len(facts)
    return result
