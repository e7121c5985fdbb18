"""The 12 JMDC columns, described once.

Every output and input of the catalogue that names its columns reads them from here: the CSV
and Excel headers, the VOTable FIELDs, the VizieR ReadMe and the byte layout of ``jmdc.dat``,
the API's serializer, the submission form and its templates, the catalogue table. The TAP
schema is to be derived from it too, so it is plain data that imports no Django.

The VizieR facts (label, Fortran format, limits and null marker) are those of the published
ReadMe of II/345; the test of the VizieR writer compares them with it. One deliberate
difference: METHOD is declared nullable (``[1/3]?``), because 70 legacy rows have no method and
VizieR must read their blank as null, not as an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    TEXT = "text"
    REAL = "real"  # a float, null allowed
    CODE = "code"  # a small integer from a list (METHOD 1..3, BANDCODE 1..12), null allowed
    FLAG = "flag"  # true or false; false is written as null where a format has no false


@dataclass(frozen=True)
class Column:
    name: str  # in the CSV, Excel and VOTable exports and the uploads: UD_DIAM
    field: str  # the Measurement (and SubmissionRow) field: ud_diam
    kind: Kind
    unit: str  # VOUnit; "" for none
    ucd: str  # UCD1+
    description: str  # one phrase, without unit or column name
    vizier_label: str  # UDdiam
    vizier_format: str  # Fortran format in jmdc.dat: A28, F9.5, I2
    vizier_limits: str  # what the ReadMe writes before the explanation: ?=- (null is -), [1/3]?
    label: str  # the submission form's label
    header: str  # the catalogue table's column header
    guidance: str  # how to fill the column in a submission (the template workbook says it)
    required: bool = False  # a submission must give it
    vizier_note: str = ""  # the ReadMe's numbered note about the column

    @property
    def width(self) -> int:
        """Characters in jmdc.dat (F7.4: 7)."""
        return int(self.vizier_format[1:].split(".")[0])

    @property
    def decimals(self) -> int:
        return int(self.vizier_format.split(".")[1]) if "." in self.vizier_format else 0

    @property
    def largest(self) -> float:
        """The largest value a real column prints in its width (F7.4: 99.9999)."""
        return round(10 ** (self.width - self.decimals - 1) - 10**-self.decimals, self.decimals)

    @property
    def vizier_null(self) -> str:
        """What a null is written as in jmdc.dat: the ReadMe's ``?=-`` says ``-``; a bare ``?``
        says blanks."""
        _, equals, marker = self.vizier_limits.partition("?=")
        return marker if equals else ""

    @property
    def help_text(self) -> str:
        """The API schema's description of the field."""
        unit = f", in {self.unit}" if self.unit else ""
        return f"{self.description}{unit} ({self.name})."


COLUMNS: tuple[Column, ...] = (
    Column(
        "ID1", "id1", Kind.TEXT, "", "meta.id;meta.main",
        "Normalised star name, HD preferred", "ID1", "A28", "",
        label="ID1 (star, HD preferred)", header="ID1", required=True,
        guidance="star name, HD preferred (HD 124897), else HIP, else SIMBAD's main identifier",
    ),
    Column(
        "ID2", "id2", Kind.TEXT, "", "meta.id",
        "Star name used in the publication", "ID2", "A28", "",
        label="ID2 (name in the paper)", header="ID2",
        guidance="the name used in the publication (optional)",
        vizier_note="Provided the publication's name is known to the Sesame name resolver.",
    ),
    Column(
        "UD_DIAM", "ud_diam", Kind.REAL, "mas", "phys.angSize;src",
        "Uniform-disk angular diameter", "UDdiam", "F9.5", "?=-",
        label="UD diameter (mas)", header="UD (mas)",
        guidance="uniform-disk diameter in mas (give UD, LD or both)",
    ),
    Column(
        "LD_DIAM", "ld_diam", Kind.REAL, "mas", "phys.angSize;src",
        "Limb-darkened angular diameter", "LDdiam", "F7.4", "?=-",
        label="LD diameter (mas)", header="LD (mas)",
        guidance="limb-darkened diameter in mas",
    ),
    Column(
        "E_LD_DIAM", "e_ld_diam", Kind.REAL, "mas", "stat.error;phys.angSize",
        "Error on UD and LD diameters", "e_LDdiam", "F8.4", "?=-",
        label="Error (mas)", header="σ (mas)",
        guidance="the error, in mas, for UD and LD",
        vizier_note="In general the published error on the LD or UD diameter, which are "
        "essentially equivalent. A null error means no error was published, or that the "
        "measurement is (retrospectively) in doubt, with the explanation in Notes.",
    ),
    Column(
        "BAND", "band", Kind.TEXT, "", "instr.bandpass",
        "Band letter or wavelength (microns unless A or nm)", "Band", "A10", "",
        label="Band (letter or wavelength)", header="Band",
        guidance="band letter or wavelength (microns, or with nm / A)",
        vizier_note="A loosely defined string giving the band (UBVRIJHKLMNQ) or the central "
        "wavelength of the observation, in microns unless written otherwise (A for Angstroem, "
        "nm for nanometer).",
    ),
    Column(
        "MU_LAMBDA", "mu_lambda", Kind.REAL, "", "phot.limbDark",
        "Linear limb-darkening coefficient (< 1) or LD/UD ratio (>= 1) used by the authors",
        "mu-lambda", "F7.5", "?=-",
        label="μλ (coefficient < 1, or LD/UD ratio)", header="μλ",
        guidance="limb-darkening coefficient (< 1) or LD/UD ratio (>= 1) used by the authors",
        vizier_note="Below 1: the linear limb-darkening coefficient; 1 or more: the LD/UD "
        "ratio itself.",
    ),
    Column(
        "METHOD", "method", Kind.CODE, "", "meta.code.class",
        "Observing method: 1 optical interferometry, 2 lunar occultation, 3 intensity "
        "interferometry", "Method", "I1", "[1/3]?",
        label="METHOD", header="Method",
        guidance="1 optical interferometry, 2 lunar occultation, 3 intensity interferometry",
        vizier_note="Code of the observing method as follows:\n"
        "    1 = optical interferometry\n"
        "    2 = lunar occultation\n"
        "    3 = intensity interferometry\n"
        "Blank for a few early entries whose method was never recorded.",
    ),
    Column(
        "BANDCODE", "bandcode", Kind.CODE, "", "meta.code;instr.bandpass",
        "Code of the band, 1..12 for U B V R I J H K L M N Q", "BandCode", "I2", "?=-",
        label="BANDCODE", header="Band code",
        guidance="1..12 for U B V R I J H K L M N Q, or the letter itself",
        vizier_note="Index from 1 (band U) up through the bands B, V, R, I, J, H, K, L, M, N, "
        "Q (12).",
    ),
    Column(
        "NOTES", "notes", Kind.TEXT, "", "meta.note",
        "Notes on the star and/or the measurement", "Notes", "A204", "",
        label="NOTES", header="Notes",
        guidance="free text, up to 204 characters (binarity, doubts, citation of a non-ADS "
        "reference)",
    ),
    Column(
        "BIBCODE", "bibcode", Kind.TEXT, "", "meta.bib.bibcode",
        "ADS bibcode, or the year and dots for references not in ADS", "BibCode", "A19", "",
        label="Bibcode (ADS, 19 characters)", header="Bibcode", required=True,
        guidance="ADS bibcode (19 characters), or the year and 15 dots with the citation in "
        "NOTES",
        vizier_note="An ADS bibcode, or for references ADS does not hold the year followed by "
        "dots, the reference being given in Notes.",
    ),
    Column(
        "SINPE", "sinpe", Kind.FLAG, "", "meta.code.qual",
        "SIMBAD identifier is not precise enough", "SINPE", "I1", "?",
        label="SINPE (SIMBAD identifier not precise enough)", header="SINPE",
        guidance="True if the SIMBAD identifier is not precise enough (one component of a "
        "close pair)",
        vizier_note="1 when the SIMBAD identifier is not precise enough for this object, "
        "usually a component of a close double star.",
    ),
)  # fmt: skip

BY_NAME = {column.name: column for column in COLUMNS}  # "LD_DIAM" -> its column
BY_FIELD = {column.field: column for column in COLUMNS}  # "ld_diam" -> its column
# The forms the rest of the code has long used: (name, field) pairs, the field names in export
# order (the order of ``export_values()``), and the name of each field.
CATALOGUE_COLUMNS: list[tuple[str, str]] = [(column.name, column.field) for column in COLUMNS]
CATALOGUE_FIELDS: list[str] = [column.field for column in COLUMNS]
COLUMN_NAME: dict[str, str] = {column.field: column.name for column in COLUMNS}


# -- what a BAND text says: the wavelength of the observation ---------------------------------
# The central wavelength (microns) of each band letter of BANDCODE: Johnson-Cousins U to I
# (Bessell 1990), Bessell & Brett 1988 J to M, the middle of the N and Q atmospheric windows.
BAND_CENTRES = {
    "U": 0.365, "B": 0.445, "V": 0.551, "R": 0.658, "I": 0.806, "J": 1.22, "H": 1.63,
    "K": 2.19, "L": 3.45, "M": 4.75, "N": 10.5, "Q": 20.0,
}  # fmt: skip
# Other bands the catalogue's BAND names (case matters: Stroemgren b is not Johnson B).
NAMED_BANDS = {"Halpha": 0.6563, "y": 0.547, "b": 0.467}
_NUMBER = r"(\d+(?:\.\d+)?)"
_UNIT = r"(nm|a|å|mu|µm|um|micron|microns)"
WAVELENGTH = re.compile(rf"^{_NUMBER}\s*{_UNIT}?$", re.I)
# 550..850nm, 550 to 850, 8-13: a range of wavelengths in one unit.
WAVELENGTH_RANGE = re.compile(rf"^{_NUMBER}\s*(?:-|\.\.|to)\s*{_NUMBER}\s*{_UNIT}?$", re.I)


def in_microns(number: float, unit: str) -> float:
    """A BAND wavelength in microns: its unit says (nm, A), else its size does, as the
    curators wrote them in the 2020 catalogue (740 is nm, 4430 is Angstroem, 2.2 microns)."""
    unit = unit.lower()
    if unit == "nm" or (not unit and 300 <= number < 2000):
        return number / 1000
    if unit in ("a", "å") or (not unit and number >= 2000):
        return number / 10000
    return number


def wavelength_in_microns(text: str) -> float | None:
    """The wavelength a BAND text writes as one number (2.2, 800nm, 4430A), else None."""
    match = WAVELENGTH.match(text.strip())
    return in_microns(float(match[1]), match[2] or "") if match else None


def band_wavelength(band: str) -> float | None:
    """Where a row's BAND sits in wavelength (microns): a band letter's centre, a wavelength
    (2.2, 800nm, 4430A), the middle of a range (550..850nm) or of a list of letters (H,K);
    None when BAND says none (empty, "various")."""
    text = band.strip().rstrip("?'").strip()
    if not text:
        return None
    if text in NAMED_BANDS:
        return NAMED_BANDS[text]
    letters = [part.strip().rstrip("'") for part in text.split(",")]
    if all(letter in BAND_CENTRES for letter in letters):
        centres = [BAND_CENTRES[letter] for letter in letters]
        return round((min(centres) + max(centres)) / 2, 6)
    if (single := wavelength_in_microns(text)) is not None:
        return round(single, 6)
    if match := WAVELENGTH_RANGE.match(text):
        unit = match[3] or ""
        return round((in_microns(float(match[1]), unit) + in_microns(float(match[2]), unit)) / 2, 6)
    return None


# One filled-in row, as a submission writes it, for the templates and the upload page: the
# numbers with a point, BANDCODE by its letter (accepted as well as the number), empty for none.
EXAMPLE_ROW: dict[str, str] = {
    "ID1": "HD 360", "ID2": "", "UD_DIAM": "", "LD_DIAM": "0.906", "E_LD_DIAM": "0.014",
    "BAND": "H", "MU_LAMBDA": "", "METHOD": "1", "BANDCODE": "H", "NOTES": "",
    "BIBCODE": "2019Natur.567..200P", "SINPE": "",
}  # fmt: skip
assert list(EXAMPLE_ROW) == [column.name for column in COLUMNS]  # every column, in order
