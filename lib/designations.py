"""Canonical catalogue designations of star names, without asking SIMBAD.

``canonical("hd  010700")`` and ``canonical("HD10700")`` are the same ``Designation``
(catalogue ``HD``, number ``10700``), so two rows typed either way are one star at once, offline.
``key(name)`` is its text (``HD 10700``, ``* alf Lyr``, ``* alf01 Cen A``, ``V* R Leo``,
``BD+43 44``), the string to match on. The spelling follows SIMBAD's main identifiers
(its Dictionary of Nomenclature): the Greek letter in SIMBAD's three-letter form with a two-digit
superscript (``alf01``, ``mu.``, ``ksi``), the IAU three-letter constellation, no zero padding,
Durchmusterung zones with their sign and two digits. One difference, on purpose: a component is
always written after a blank (``HD 98800 B``; SIMBAD writes ``HD 98800B``), so that the key
splits back into designation and component the same way for every catalogue.

A name with no known form (a proper name such as ``Vega``, a catalogue this module does not
know, a typing it cannot read with certainty) gives ``None``: it is kept as typed and left to
SIMBAD, which alone joins ``Vega`` with ``alf Lyr``. Where two readings are possible the answer
is ``None`` too, never a guess: ``MU Cep`` is both the variable star MU Cep and mu Cep, so only
``mu Cep``/``Mu Cep``/``mu. Cep`` are read as the Greek letter. Blanks, case and zero padding
are ignored, except where case is the meaning: a single Latin letter (``l Car`` is not ``L Car``,
``R Leo`` is the variable, ``r Leo`` a Bayer letter) and component letters (``AB`` is the pair,
``Ab`` the secondary of A).

Plain Python, no Django: the catalogue, the API and the importers all call it.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

# Catalogue labels written straight before the number, as SIMBAD does (BD+43 44).
_GLUED = {"BD", "CD", "CPD"}


@dataclass(frozen=True)
class Designation:
    """One catalogue's name of a star: ``catalogue`` (``HD``, ``BD``, ``Gaia DR3``; ``*`` for
    Bayer and Flamsteed names, ``V*`` for variable-star names), ``number`` (the designation
    within it: ``10700``, ``+43 44``, ``alf01 Cen``, ``R Leo``) and ``component`` (``A``,
    ``AB``, ``Aa,Ab``; empty for the system as a whole). Equal designations are the same
    object; a component is part of the identity (``HD 12345 AB`` is not ``HD 12345``)."""

    catalogue: str
    number: str
    component: str = ""

    def __str__(self) -> str:
        glue = "" if self.catalogue in _GLUED else " "
        text = f"{self.catalogue}{glue}{self.number}"
        return f"{text} {self.component}" if self.component else text


# --- The tables -------------------------------------------------------------------------------

# IAU abbreviation -> genitive. Read case-blind (Crb, CRB and CrB are all Corona Borealis).
CONSTELLATIONS: dict[str, str] = {
    "And": "Andromedae", "Ant": "Antliae", "Aps": "Apodis", "Aqr": "Aquarii",
    "Aql": "Aquilae", "Ara": "Arae", "Ari": "Arietis", "Aur": "Aurigae", "Boo": "Bootis",
    "Cae": "Caeli", "Cam": "Camelopardalis", "Cnc": "Cancri", "CVn": "Canum Venaticorum",
    "CMa": "Canis Majoris", "CMi": "Canis Minoris", "Cap": "Capricorni", "Car": "Carinae",
    "Cas": "Cassiopeiae", "Cen": "Centauri", "Cep": "Cephei", "Cet": "Ceti",
    "Cha": "Chamaeleontis", "Cir": "Circini", "Col": "Columbae", "Com": "Comae Berenices",
    "CrA": "Coronae Australis", "CrB": "Coronae Borealis", "Crv": "Corvi", "Crt": "Crateris",
    "Cru": "Crucis", "Cyg": "Cygni", "Del": "Delphini", "Dor": "Doradus", "Dra": "Draconis",
    "Equ": "Equulei", "Eri": "Eridani", "For": "Fornacis", "Gem": "Geminorum", "Gru": "Gruis",
    "Her": "Herculis", "Hor": "Horologii", "Hya": "Hydrae", "Hyi": "Hydri", "Ind": "Indi",
    "Lac": "Lacertae", "Leo": "Leonis", "LMi": "Leonis Minoris", "Lep": "Leporis",
    "Lib": "Librae", "Lup": "Lupi", "Lyn": "Lyncis", "Lyr": "Lyrae", "Men": "Mensae",
    "Mic": "Microscopii", "Mon": "Monocerotis", "Mus": "Muscae", "Nor": "Normae",
    "Oct": "Octantis", "Oph": "Ophiuchi", "Ori": "Orionis", "Pav": "Pavonis", "Peg": "Pegasi",
    "Per": "Persei", "Phe": "Phoenicis", "Pic": "Pictoris", "Psc": "Piscium",
    "PsA": "Piscis Austrini", "Pup": "Puppis", "Pyx": "Pyxidis", "Ret": "Reticuli",
    "Sge": "Sagittae", "Sgr": "Sagittarii", "Sco": "Scorpii", "Scl": "Sculptoris",
    "Sct": "Scuti", "Ser": "Serpentis", "Sex": "Sextantis", "Tau": "Tauri", "Tel": "Telescopii",
    "Tri": "Trianguli", "TrA": "Trianguli Australis", "Tuc": "Tucanae", "UMa": "Ursae Majoris",
    "UMi": "Ursae Minoris", "Vel": "Velorum", "Vir": "Virginis", "Vol": "Volantis",
    "Vul": "Vulpeculae",
}  # fmt: skip
_CONSTELLATION = {abbr.lower(): abbr for abbr in CONSTELLATIONS} | {
    genitive.lower().replace(" ", ""): abbr for abbr, genitive in CONSTELLATIONS.items()
}

# SIMBAD's Greek letter -> the other ways people write it (English, the older 'alp'/'khi'/
# 'the', the lower-case letter itself). The two-letter ones carry SIMBAD's dot.
GREEK: dict[str, tuple[str, ...]] = {
    "alf": ("alpha", "alp", "α"), "bet": ("beta", "β"), "gam": ("gamma", "γ"),
    "del": ("delta", "δ"), "eps": ("epsilon", "ε", "ϵ"), "zet": ("zeta", "ζ"), "eta": ("η",),
    "tet": ("theta", "the", "θ", "ϑ"), "iot": ("iota", "ι"), "kap": ("kappa", "κ", "ϰ"),
    "lam": ("lambda", "lamda", "λ"), "mu.": ("mu", "μ"), "nu.": ("nu", "ν"),
    "ksi": ("xi", "ξ"), "omi": ("omicron", "ο"), "pi.": ("pi", "π", "ϖ"), "rho": ("ρ", "ϱ"),
    "sig": ("sigma", "σ", "ς"), "tau": ("τ",), "ups": ("upsilon", "υ"),
    "phi": ("φ", "ϕ"), "chi": ("khi", "χ"), "psi": ("ψ",), "ome": ("omega", "ω"),
}  # fmt: skip
_GREEK = {alias: simbad for simbad, aliases in GREEK.items() for alias in aliases} | {
    simbad: simbad for simbad in GREEK
}
_GREEK |= {simbad.rstrip("."): simbad for simbad in GREEK}

# Catalogues named by an acronym and a plain number (``HD 10700``). BS is the Bright Star
# catalogue whose numbers are the HR numbers; HDE continues the HD numbering; Gl, NN and GJ
# are the one Gliese-Jahreiss numbering (Gl below 1000, with fractions such as 412.1). NSV,
# Wolf and Gmb (Groombridge) are in the catalogue's files.
_NUMBERED = {
    "NSV": "NSV", "WOLF": "Wolf", "GMB": "Gmb",
    "HD": "HD", "HDE": "HD", "HR": "HR", "BS": "HR", "HIP": "HIP", "HIC": "HIC",
    "SAO": "SAO", "FK5": "FK5", "GJ": "GJ", "GL": "GJ", "NN": "GJ", "GLIESE": "GJ",
}  # fmt: skip

# Component letters: A, B, AB, Aa, Ab, Aa,Ab (a pair of components), Aa1,2. Case is meaning.
_COMPONENT = r"[A-H][A-Ha-h0-9]{0,3}(?:,[A-Ha-h0-9]{1,3})*"

_NUMBERED_NAME = re.compile(
    r"(?P<acronym>(?i:GLIESE|HDE|HD|HR|BS|HIP|HIC|SAO|FK5|GJ|GL|NN|NSV|WOLF|GMB))\s*"
    rf"(?P<number>\d+)(?:\.(?P<fraction>\d+))?\s*(?P<component>{_COMPONENT})?"
)
# Durchmusterungen: the sign and two digits of the zone, then the star's number, which may
# carry a lower-case letter for a star added later (BD+36 2147a).
_DM_NAME = re.compile(
    r"(?P<acronym>(?i:BD|CD|COD|CPD|DM))\s*(?P<sign>[+-])\s*(?P<zone>\d{1,2})(?:\s+|\s*\.\s*|(?<=\d\d))"
    rf"(?P<number>\d{{1,5}})(?P<letter>[a-z]?)\s*(?P<component>{_COMPONENT})?"
)
# The zones each Durchmusterung covers: outside them, the name is a typing error.
_DM_ZONES = {"BD": range(-23, 90), "CD": range(-89, -21), "CPD": range(-89, -17)}
_IRC_NAME = re.compile(r"(?i:IRC)\s*(?P<sign>[+-])\s*(?P<zone>\d{2})\s*(?P<number>\d{3})")
_TWOMASS_NAME = re.compile(
    r"(?i:2MASS)\s*(?i:J)\s*(?P<ra>\d{6})\.?(?P<ra_frac>\d{2})(?P<dec>[+-]\d{6})\.?(?P<dec_frac>\d)"
)
_TYCHO_NAME = re.compile(
    rf"(?i:TYC)\s*(?P<region>\d{{1,5}})\s*-\s*(?P<number>\d{{1,6}})\s*-\s*(?P<sub>[1-4])"
    rf"\s*(?P<component>{_COMPONENT})?"
)
_GAIA_NAME = re.compile(r"(?i:GAIA)\s*(?P<release>(?i:DR2|DR3|EDR3))\s*(?P<source>\d{1,19})")
# Double-star catalogues by position: WDS Jhhmmm+ddmm, CCDM Jhhmmm+ddmm, then the components.
_DOUBLE_NAME = re.compile(
    r"(?P<acronym>(?i:WDS|CCDM))\s*(?i:J)?\s*(?P<position>\d{5}[+-]\d{4})"
    rf"\s*(?P<component>{_COMPONENT})?"
)
# Bayer, Flamsteed and variable-star names: a head, the constellation, then a component after
# a blank (a component glued to the constellation would be read as part of it: CMA).
_STAR_NAME = re.compile(
    rf"(?P<head>.*?)\s*(?<![^\W\d_])(?P<constellation>[^\W\d_]+)(?:\s+(?P<component>{_COMPONENT}))?"
)
_GREEK_HEAD = re.compile(r"(?P<letter>[^\W\d_]+\.?)\s*(?:-\s*)?(?P<superscript>\d{1,2})?")
_FLAMSTEED = re.compile(r"\d{1,3}")
_VARIABLE_V = re.compile(r"[Vv]\s*(?P<number>\d{1,5})")
_GENITIVE = re.compile(
    r"(?P<head>.*?)\s+(?P<genitive>(?i:"
    + "|".join(
        sorted((g.replace(" ", r"\s+") for g in CONSTELLATIONS.values()), key=len, reverse=True)
    )
    + rf"))(?P<tail>\s+{_COMPONENT})?"
)
MAX_NAME = 100
_PREFIX = re.compile(r"(?P<prefix>V\*|\*)\s*")


def canonical(name: str) -> Designation | None:
    """The canonical catalogue designation of a star name, or None when the name has no known
    catalogue form (a proper name, an unknown catalogue) or could be read two ways."""
    text = " ".join(name.split())
    # Longer than any star's name can be (Star.name): not a designation, and a number of
    # thousands of digits would not even convert to an integer.
    if not text or len(text) > MAX_NAME or not _plain_letters(text):
        return None
    for reader in (_numbered, _durchmusterung, _irc, _two_mass, _tycho, _gaia, _double, _star):
        found = reader(text)
        if found is not None:
            # False means "could be read two ways": left to SIMBAD, as an unknown form is.
            return found if isinstance(found, Designation) else None
    return None


def key(name: str) -> str | None:
    """The canonical designation as text (``HD 10700``, ``* alf01 Cen A``), or None."""
    found = canonical(name)
    return None if found is None else str(found)


def match_key(name: str) -> str:
    """What to compare names on: the canonical designation, or else the name itself with its
    blanks squeezed (a name SIMBAD alone can identify is matched as typed)."""
    return key(name) or " ".join(name.split())


@dataclass
class Grouping:
    """Names gathered by canonical designation: ``groups`` maps each key to the spellings
    that have it (sorted); ``unrecognised`` lists the names without a known form."""

    groups: dict[str, list[str]]
    unrecognised: list[str]

    @property
    def merged(self) -> dict[str, list[str]]:
        """The groups that join several spellings."""
        return {k: names for k, names in self.groups.items() if len(names) > 1}


def group(names: Iterable[str]) -> Grouping:
    """Gather distinct names by canonical designation."""
    groups: dict[str, set[str]] = defaultdict(set)
    unrecognised: set[str] = set()
    for name in set(names):
        found = key(name)
        if found is None:
            unrecognised.add(name)
        else:
            groups[found].add(name)
    return Grouping(
        groups={k: sorted(v) for k, v in sorted(groups.items())},
        unrecognised=sorted(unrecognised),
    )


# --- The readers: each returns a Designation, False for "this form, but not a valid one"
# (stop: no other reader may guess), or None for "not this form".


def _plain_letters(text: str) -> bool:
    """Latin text, and Greek only as a lower-case Bayer letter: a Cyrillic or Greek capital
    drawn like a Latin one (HD 360 with a Cyrillic EN) is another name, not a spelling of
    HD 360 (lib.text refuses it in identifiers)."""
    for ch in text:
        if ch.isascii():
            continue
        if ch in _GREEK or unicodedata.name(ch, "").startswith("LATIN"):
            continue
        return False
    return True


def _integer(digits: str) -> str:
    return str(int(digits))


def _numbered(text: str) -> Designation | bool | None:
    match = _NUMBERED_NAME.fullmatch(text)
    if not match:
        return None
    catalogue = _NUMBERED[match["acronym"].upper()]
    number = _integer(match["number"])
    if match["fraction"] is not None:
        if catalogue != "GJ":  # only Gliese numbers have fractions
            return False
        number = f"{number}.{match['fraction']}"
    if number == "0":
        return False
    return Designation(catalogue, number, match["component"] or "")


def _durchmusterung(text: str) -> Designation | bool | None:
    match = _DM_NAME.fullmatch(text)
    if not match:
        return None
    acronym = match["acronym"].upper()
    zone = int(match["zone"]) * (-1 if match["sign"] == "-" else 1)
    if acronym == "COD":
        acronym = "CD"
    if acronym == "DM":
        # "DM" names no survey; north of -18 only the Bonner Durchmusterung has zones.
        if match["sign"] == "-" and int(match["zone"]) > 17:
            return False
        acronym = "BD"
    if zone not in _DM_ZONES[acronym] and not (match["sign"] == "-" and zone == 0):
        return False
    number = f"{match['sign']}{int(match['zone']):02d} {_integer(match['number'])}{match['letter']}"
    return Designation(acronym, number, match["component"] or "")


def _irc(text: str) -> Designation | None:
    match = _IRC_NAME.fullmatch(text)
    if not match:
        return None
    return Designation("IRC", f"{match['sign']}{match['zone']}{match['number']}")


def _two_mass(text: str) -> Designation | None:
    match = _TWOMASS_NAME.fullmatch(text)
    if not match:
        return None
    number = f"J{match['ra']}{match['ra_frac']}{match['dec']}{match['dec_frac']}"
    return Designation("2MASS", number)


def _tycho(text: str) -> Designation | None:
    match = _TYCHO_NAME.fullmatch(text)
    if not match:
        return None
    number = f"{_integer(match['region'])}-{_integer(match['number'])}-{match['sub']}"
    return Designation("TYC", number, match["component"] or "")


def _gaia(text: str) -> Designation | None:
    match = _GAIA_NAME.fullmatch(text)
    if not match:
        return None
    # DR2 and DR3 number their sources differently; EDR3's sources are DR3's (the same list,
    # the same source_id), so an EDR3 name is the DR3 designation.
    release = match["release"].upper().removeprefix("E")
    return Designation(f"Gaia {release}", _integer(match["source"]))


def _double(text: str) -> Designation | None:
    match = _DOUBLE_NAME.fullmatch(text)
    if not match:
        return None
    return Designation(match["acronym"].upper(), f"J{match['position']}", match["component"] or "")


def _star(text: str) -> Designation | bool | None:
    prefix = _PREFIX.match(text)
    variable_prefix = prefix is not None and prefix["prefix"] == "V*"
    if prefix:
        text = text[prefix.end() :]
    text = _abbreviate_genitive(text)
    match = _STAR_NAME.fullmatch(text)
    if not match:
        return None
    constellation = _CONSTELLATION.get(match["constellation"].lower())
    if constellation is None:
        return None
    head = match["head"].strip()
    component = match["component"] or ""
    if not head:
        return None
    flamsteed = re.fullmatch(r"(?P<number>\d{1,3})\s*(?P<rest>.*)", head)
    if flamsteed and flamsteed["rest"]:
        # "37 XI 2 SGR": the Flamsteed number and the Bayer letter of one star; SIMBAD lists
        # both, the Bayer name is the main one.
        head = flamsteed["rest"]
    elif flamsteed:
        if int(flamsteed["number"]) == 0:
            return False
        return Designation("*", f"{_integer(flamsteed['number'])} {constellation}", component)
    letter = _variable_letters(head, forced=variable_prefix)
    if letter is not None:
        return Designation("V*", f"{letter} {constellation}", component) if letter else False
    bayer = _bayer_letter(head)
    if bayer is None:
        return None
    return Designation("*", f"{bayer} {constellation}", component)


def _abbreviate_genitive(text: str) -> str:
    """'alpha Canis Majoris A' -> 'alpha CMa A': a genitive, of one word or two, becomes the
    constellation's abbreviation."""
    match = _GENITIVE.fullmatch(text)
    if not match:
        return text
    abbreviation = _CONSTELLATION[match["genitive"].lower().replace(" ", "")]
    return f"{match['head']} {abbreviation}{match['tail'] or ''}"


def _variable_letters(head: str, *, forced: bool) -> str | bool | None:
    """The GCVS letters of a variable-star name (R, RR, AB, V1339), or None if the head is not
    one, or False if it could as well be a Greek letter (MU, NU)."""
    number = _VARIABLE_V.fullmatch(head)
    if number and (head[0] == "V" or forced):
        value = int(number["number"])
        # V1 to V334 are never written so: they are the letter names R to QZ.
        return f"V{value}" if value >= 335 else False
    if len(head) == 1:
        # One letter: upper case R to Z is the variable, anything else a Bayer letter
        # (except after V*, which says "variable").
        if forced and head.upper() in "RSTUVWXYZ":
            return head.upper()
        return head if head in "RSTUVWXYZ" else None
    if len(head) == 2 and head.isalpha() and head.isascii() and _valid_pair(head.upper()):
        if head.lower() in ("mu", "nu") and not forced:
            # mu and nu are Greek letters; MU and NU are also variables' names.
            return False if head.isupper() else None
        return head.upper()
    return None


def _valid_pair(letters: str) -> bool:
    """RR..RZ, SS..SZ, .., ZZ, then AA..AZ, BB..BZ, .., QZ; never J."""
    first, second = letters[0], letters[1]
    if "J" in letters or first > second:
        return False
    return first >= "R" or first <= "Q"


def _bayer_letter(head: str) -> str | None:
    """SIMBAD's Bayer letter (alf, alf01, mu., b) or None."""
    if len(head) == 1 and head.isascii() and head.isalpha():
        return head  # a Latin Bayer letter: its case is its meaning (l Car is not L Car)
    match = _GREEK_HEAD.fullmatch(head)
    if not match:
        return None
    letter = match["letter"]
    simbad = _GREEK.get(letter.lower() if letter.isascii() else letter)
    if simbad is None and letter.endswith("."):
        simbad = _GREEK.get(letter[:-1].lower())
    if simbad is None:
        return None
    superscript = match["superscript"]
    if superscript is None:
        return simbad
    if int(superscript) == 0:
        return None
    return f"{simbad}{int(superscript):02d}"  # SIMBAD keeps the dot: mu.01 Sco


# --- The report ---------------------------------------------------------------------------------


def report_lines(names: Iterable[str]) -> list[str]:
    """The figures and the groups of a set of names, as printed by ``ops/designations_report``."""
    names = set(names)
    grouping = group(names)
    lines = [
        f"{len(names)} distinct names, {len(grouping.groups)} canonical designations "
        f"({sum(len(v) for v in grouping.groups.values())} names), "
        f"{len(grouping.unrecognised)} names without a known form",
    ]
    merged = grouping.merged
    lines.append(f"{len(merged)} designations join several spellings:")
    lines += [f"  {k}: {' | '.join(v)}" for k, v in merged.items()]
    lines.append(f"{len(grouping.unrecognised)} names without a known form (left to SIMBAD):")
    lines += [f"  {name}" for name in grouping.unrecognised]
    return lines


if __name__ == "__main__":  # pragma: no cover - a quick look: python -m lib.designations NAME...
    for arg in sys.argv[1:]:
        print(f"{arg!r} -> {key(arg)!r}")
