"""An OIFITS file checked against the standard of its revision, every problem named by file,
table, column and row.

OIFITS 1 is Pauls, Young, Cotton & Monnier 2005, PASP 117, 1255 ("the 2005 standard" below);
OIFITS 2 is Duvert, Young & Hummel 2017, A&A 597, A8 ("the 2017 standard"). Each table's
definition below names the table of the standard it comes from.

Severity: an ERROR refuses the file (it is not FITS, not OIFITS, damaged, or gives the diameter
fit nothing sound to read: its wavelengths, its squared visibilities and their (u,v)); a WARNING
is a deviation the fit survives (a missing unit, a table of the wrong revision, a reference
that does not resolve in a table the fit does not read). Real files deviate a little: the
PIONIER files of 2012 leave units out, MATISSE's OI_FLUX lacks units on MJD and INT_TIME.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from astropy import units
from astropy.io import fits

from lib.text import ERROR, WARNING

BLOCK = 2880
NWAVE = "NWAVE"  # a column with one value per spectral channel of the referenced OI_WAVELENGTH
DATA_TABLES = ("OI_VIS", "OI_VIS2", "OI_T3", "OI_FLUX")
# Beyond this many rows with the same problem in one column, the rest are counted in one line.
ROWS_NAMED = 5
# HDUs in one file. An OIFITS file holds a primary HDU, one OI_TARGET, and an OI_ARRAY, an
# OI_WAVELENGTH and a data table of each kind per array and instrument setting: a night of
# MATISSE is 8, files merged over nights and instruments a few dozen. 100 leaves room for those
# and bounds what a file of thousands of empty HDUs costs the upload's request (astropy takes tens
# of milliseconds for each: 2000 of them took 85 s).
MAX_HDUS = 100
# Header cards over the whole file: ESO primary headers hold a few thousand (1324 in the shared
# MATISSE file); astropy parses 100 000 in under a second, a 50 MB header of comments in tens.
MAX_CARDS = 100_000
BITPIX_BYTES = {8: 1, 16: 2, 32: 4, 64: 8, -32: 4, -64: 8}  # FITS 4.0, table 8


@dataclass(frozen=True)
class Problem:
    file: str
    table: str | None  # e.g. "OI_VIS2 (HDU 4, EXTVER 1, INSNAME MATISSE)"; None for the whole file
    column: str | None  # a column, or a header keyword
    row: int | None  # 1-based, as a FITS viewer counts
    message: str
    severity: str  # lib.text.ERROR (the file is refused) or WARNING

    def __str__(self) -> str:
        kind = "keyword" if self.column in HEADER_KEYWORDS else "column"
        where = ", ".join(
            part
            for part in (
                self.file,
                self.table,
                self.column and f"{kind} {self.column}",
                self.row and f"row {self.row}",
            )
            if part
        )
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Validation:
    file: str
    revision: int | None  # 1 or 2; None when the file is not OIFITS
    problems: list[Problem] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]


@dataclass(frozen=True)
class Col:
    name: str
    code: str  # the FITS TFORM letter: I integer, D double, E float, A text, L logical
    repeat: int | str | None = 1  # a count, NWAVE, or None for text of any length
    unit: str | None = None  # the unit the standard fixes, if any
    fit: bool = False  # the diameter fit reads it: a fault here refuses the file
    revision: int = 1  # the first revision of the table that makes it mandatory


def _cols(*specs: tuple) -> tuple[Col, ...]:
    return tuple(Col(*spec) for spec in specs)


# The 2005 standard's table definitions of OI_TARGET, OI_ARRAY, OI_WAVELENGTH, OI_VIS, OI_VIS2
# and OI_T3 (named, not numbered: check the numbers against the paper before quoting them); the
# 2017 standard's tables of the same names, which keep these
# columns, add FOV and FOVTYPE to OI_ARRAY and define OI_FLUX. Text columns have no fixed
# width in the 2017 standard: their repeat is not checked.
TIMES = _cols(
    ("TARGET_ID", "I"), ("TIME", "D", 1, "s"), ("MJD", "D", 1, "day"), ("INT_TIME", "D", 1, "s")
)
TABLES: dict[str, tuple[Col, ...]] = {
    "OI_TARGET": _cols(
        ("TARGET_ID", "I"), ("TARGET", "A", None), ("RAEP0", "D", 1, "deg"), ("DECEP0", "D", 1, "deg"),
        ("EQUINOX", "E", 1, "yr"), ("RA_ERR", "D", 1, "deg"), ("DEC_ERR", "D", 1, "deg"),
        ("SYSVEL", "D", 1, "m/s"), ("VELTYP", "A", None), ("VELDEF", "A", None),
        ("PMRA", "D", 1, "deg/yr"), ("PMDEC", "D", 1, "deg/yr"), ("PMRA_ERR", "D", 1, "deg/yr"),
        ("PMDEC_ERR", "D", 1, "deg/yr"), ("PARALLAX", "E", 1, "deg"), ("PARA_ERR", "E", 1, "deg"),
        ("SPECTYP", "A", None),
    ),
    "OI_ARRAY": _cols(
        ("TEL_NAME", "A", None), ("STA_NAME", "A", None), ("STA_INDEX", "I"), ("DIAMETER", "E", 1, "m"),
        ("STAXYZ", "D", 3, "m"), ("FOV", "D", 1, "arcsec", False, 2), ("FOVTYPE", "A", None, None, False, 2),
    ),
    "OI_WAVELENGTH": _cols(("EFF_WAVE", "E", 1, "m", True), ("EFF_BAND", "E", 1, "m")),
    "OI_VIS": TIMES + _cols(
        ("VISAMP", "D", NWAVE), ("VISAMPERR", "D", NWAVE), ("VISPHI", "D", NWAVE, "deg"),
        ("VISPHIERR", "D", NWAVE, "deg"), ("UCOORD", "D", 1, "m"), ("VCOORD", "D", 1, "m"),
        ("STA_INDEX", "I", 2), ("FLAG", "L", NWAVE),
    ),
    "OI_VIS2": TIMES + _cols(
        ("VIS2DATA", "D", NWAVE, None, True), ("VIS2ERR", "D", NWAVE, None, True),
        ("UCOORD", "D", 1, "m", True), ("VCOORD", "D", 1, "m", True), ("STA_INDEX", "I", 2),
        ("FLAG", "L", NWAVE),
    ),
    "OI_T3": TIMES + _cols(
        ("T3AMP", "D", NWAVE), ("T3AMPERR", "D", NWAVE), ("T3PHI", "D", NWAVE, "deg"),
        ("T3PHIERR", "D", NWAVE, "deg"), ("U1COORD", "D", 1, "m"), ("V1COORD", "D", 1, "m"),
        ("U2COORD", "D", 1, "m"), ("V2COORD", "D", 1, "m"), ("STA_INDEX", "I", 3), ("FLAG", "L", NWAVE),
    ),
    # The 2017 standard's OI_FLUX: TIME is not among its columns, its flux unit is the file's.
    "OI_FLUX": _cols(
        ("TARGET_ID", "I"), ("MJD", "D", 1, "day"), ("INT_TIME", "D", 1, "s"), ("FLUXDATA", "D", NWAVE),
        ("FLUXERR", "D", NWAVE), ("FLAG", "L", NWAVE),
    ),
}  # fmt: skip

# The header keywords each table must carry (the same tables of both standards); ARRNAME is
# optional in the data tables of the 2005 standard and mandatory in the 2017 one.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "OI_TARGET": ("OI_REVN",),
    "OI_ARRAY": ("OI_REVN", "ARRNAME", "FRAME", "ARRAYX", "ARRAYY", "ARRAYZ"),
    "OI_WAVELENGTH": ("OI_REVN", "INSNAME"),
    **dict.fromkeys(DATA_TABLES, ("OI_REVN", "DATE-OBS", "INSNAME")),
}
# The 2017 standard's table of the primary header's mandatory keywords (an OIFITS 2 file).
PRIMARY_KEYWORDS_2 = (
    "ORIGIN", "DATE", "DATE-OBS", "CONTENT", "TELESCOP", "INSTRUME", "OBSERVER", "OBJECT", "INSMODE",
    "OBSTECH",
)  # fmt: skip
HEADER_KEYWORDS = {k for keys in KEYWORDS.values() for k in keys} | set(PRIMARY_KEYWORDS_2)
# The 2017 standard gives its new tables their own revision 1 (OI_FLUX, OI_CORR, OI_INSPOL).
OWN_REVISION_1 = ("OI_FLUX", "OI_CORR", "OI_INSPOL")

UNIT_SPELLINGS = {
    "m": {"m", "meter", "meters", "metre", "metres"},
    "deg": {"deg", "degree", "degrees"},
    "s": {"s", "sec", "second", "seconds"},
    "day": {"day", "days", "d"},
}


def validate(path: str | os.PathLike, name: str | None = None) -> Validation:
    """Every problem of one file. ``name`` is the file as people know it (its uploaded name)."""
    name = name or Path(path).name
    size = os.path.getsize(path)
    with open(path, "rb") as stream:
        start = stream.read(30)
    # Every FITS file begins with the card SIMPLE = T (FITS 4.0, section 4.4.1.1).
    if not start.startswith(b"SIMPLE  =") or start[29:30] != b"T":
        return Validation(name, None, [_problem(name, f"{name} is not a FITS file (it does not begin with SIMPLE = T, as every FITS file does); an OIFITS file is a FITS file.")])  # fmt: skip
    # A FITS file is a whole number of 2880-byte blocks (FITS 4.0, section 3.1): anything else
    # was cut in transfer.
    if size % BLOCK:
        whole = -(-size // BLOCK) * BLOCK
        return Validation(name, None, [_problem(name, f"{name} was cut: it has {size} bytes, and a FITS file is a whole number of {BLOCK}-byte blocks, so at least {whole - size} bytes are missing at its end. The file was cut (in a transfer, a copy, or a full disk): upload it again, whole.")])  # fmt: skip
    # Validation runs inside the upload's request: what astropy would unpack or allocate is
    # judged from the headers alone before any data is read (see _scan_layout).
    refusal = _scan_layout(path, name, size)
    if refusal is not None:
        return Validation(name, None, [refusal])
    try:
        return _read_and_check(path, name, size)
    except (MemoryError, RecursionError) as exc:
        # The scan bounds what is read by the file's size; this is the last line, so that a
        # file that still defeats the reader is refused, not answered with a server error.
        return Validation(name, None, [_problem(name, f"{name} could not be read within the portal's limits ({type(exc).__name__}): it is not an OIFITS file the portal can check; is it the right file?")])  # fmt: skip


def _read_and_check(path: str | os.PathLike, name: str, size: int) -> Validation:
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            # disable_image_compression: a compressed HDU is refused by the scan already; should
            # one slip through, astropy shows it as the table it is instead of unpacking it.
            hdus = fits.open(path, memmap=False, checksum=True, disable_image_compression=True)
            hdus.readall()  # reads every header and data unit now: a cut file fails here
            for hdu in hdus:
                # Only the tables are read: an image (a primary one is allowed, see
                # _scan_layout) is nothing the checks look at, and astropy would scale it to
                # floats, several times its size in memory.
                if isinstance(hdu, fits.BinTableHDU):
                    _ = hdu.data
    except (OSError, ValueError, TypeError, IndexError, KeyError) as exc:
        return Validation(name, None, [_truncated(name, str(exc).strip() or type(exc).__name__)])
    # Only reading is guarded: a fault of the checks below is a bug to see, not a damaged file.
    with hdus:
        end = max(info["datLoc"] + info["datSpan"] for info in map(hdus.fileinfo, range(len(hdus))))
        if end > size:
            return Validation(name, None, [_truncated(name, f"its headers announce {end} bytes, it has {size}")])  # fmt: skip
        checker = _Checker(name)
        checker.damaged_units(caught)
        if checker.refused_early:
            return Validation(name, None, checker.problems)
        revision = checker.run(hdus)
    return Validation(name, revision, checker.problems)


def _problem(name: str, message: str) -> Problem:
    return Problem(name, None, None, None, message, ERROR)


def _truncated(name: str, detail: str) -> Problem:
    return _problem(
        name,
        f"{name} is truncated or damaged ({detail}): it cannot be read as FITS; "
        "send the file again as its pipeline wrote it.",
    )


def _cut(name: str, table: str, index: int, announced: int, held: int) -> Problem:
    """A unit whose data end beyond the file's end, in the words of whoever uploaded it: which
    table, how many bytes are missing, and what to do (the usual cause is a cut transfer; a
    header that lies about its size gets the same answer, which is right for it too)."""
    what = f"its table {table} (HDU {index})" if table else f"its HDU {index}"
    if index == 0:
        what = "its primary HDU"
    return _problem(
        name,
        f"{name} was cut: {what} announces {announced} bytes of data, the file holds "
        f"{held} of them ({announced - held} bytes are missing). The file was cut (in a transfer, "
        "a copy, or a full disk): upload it again, whole.",
    )


class _Layout(Exception):
    """A refusal found by the scan of the headers (its Problem is the argument)."""


def _scan_layout(path: str | os.PathLike, name: str, size: int) -> Problem | None:
    """Walk the file header by header, reading none of its data, and refuse what reading it
    would make dangerous: more HDUs or header cards than an OIFITS file has, a compressed HDU
    (astropy unpacks it whole in memory: a 288 kB file of zeros becomes 288 MB, 50 MB would be
    50 GB), an image extension, or data a header announces beyond the end of the file (astropy
    allocates what the header says before reading: NAXIS1 = NAXIS2 = 100000 is 80 GB).
    None when the file may be read."""
    try:
        with open(path, "rb") as stream:
            _walk(stream, name, size)
    except _Layout as refusal:
        return refusal.args[0]
    return None


def _walk(stream, name: str, size: int) -> None:
    offset = index = cards = 0
    while offset < size:
        if index == MAX_HDUS:
            extensions = _count_extensions(stream, offset, size)
            count = f"{extensions}" if extensions else f"more than {MAX_HDUS - 1}"
            raise _Layout(_problem(name, f"{name} holds {count} extensions; an OIFITS file has a few dozen at most: is it the right file?"))  # fmt: skip
        stream.seek(offset)
        keys, read, length = _header(stream, name, index, MAX_CARDS - cards)
        if index and "XTENSION" not in keys:
            return  # what follows the last HDU is not one: astropy reads no further either
        cards += read
        label = f"HDU #{index}" + (f" ({keys['EXTNAME']})" if keys.get("EXTNAME") else "")
        nbytes, axes = _data_size(keys, name, label, primary=index == 0)
        if keys.get("ZIMAGE") == "T" or keys.get("ZTABLE") == "T":
            what = "image" if keys.get("ZIMAGE") == "T" else "table"
            raise _Layout(_problem(name, f"{name}: {label} is a compressed {what} (FITS tile compression); an OIFITS file holds uncompressed binary tables: send the file as its pipeline wrote it, not compressed."))  # fmt: skip
        # The OIFITS standards put every table in a binary table extension and say nothing of
        # the primary array: it is left free (image reconstruction files keep their image
        # there) and never read here. An image extension has no place in OIFITS at all.
        if keys.get("XTENSION") == "IMAGE" and nbytes:
            shape = " × ".join(str(n) for n in axes)
            raise _Layout(_problem(name, f"{name}: {label} is an image of {shape} values; an OIFITS file holds binary tables, not images: is it the right file?"))  # fmt: skip
        start = offset + length
        if start + nbytes > size:
            raise _Layout(_cut(name, keys.get("EXTNAME", ""), index, nbytes, size - start))
        offset = start + -(-nbytes // BLOCK) * BLOCK
        index += 1


def _header(stream, name: str, index: int, cards_left: int) -> tuple[dict[str, str], int, int]:
    """The structural keywords of the header at the stream's position (their values as written),
    its number of cards and its length in bytes. Read card by card, not with astropy: a header
    is parsed only once it is known to end and to be of a sane size."""
    keys: dict[str, str] = {}
    read = length = 0
    while True:
        block = stream.read(BLOCK)
        if len(block) < BLOCK:
            where = f"the header of its HDU {index}" if index else "its primary header"
            raise _Layout(_problem(name, f"{name} was cut: it ends inside {where}, before the header's END card. The file was cut (in a transfer, a copy, or a full disk): upload it again, whole."))  # fmt: skip
        length += BLOCK
        for start in range(0, BLOCK, 80):
            card = block[start : start + 80]
            keyword = card[:8].decode("ascii", "replace").rstrip()
            if keyword == "END":
                return keys, read, length
            read += 1
            if read > cards_left:
                raise _Layout(_problem(name, f"{name} has more than {MAX_CARDS} header cards; an OIFITS file has a few thousand at most: is it the right file?"))  # fmt: skip
            if keyword not in keys and card[8:10] == b"= " and _structural(keyword):
                value = card[10:].decode("ascii", "replace").split("/")[0].strip()
                keys[keyword] = value.strip("'").strip()


def _structural(keyword: str) -> bool:
    return keyword in (
        "XTENSION", "BITPIX", "NAXIS", "PCOUNT", "GCOUNT", "GROUPS", "ZIMAGE", "ZTABLE", "EXTNAME",
    ) or (keyword.startswith("NAXIS") and keyword[5:].isdigit())  # fmt: skip


def _data_size(keys: dict[str, str], name: str, label: str, primary: bool) -> tuple[int, list[int]]:
    """The bytes of data the header announces, |BITPIX|/8 * GCOUNT * (PCOUNT + NAXIS1 * ... *
    NAXISn) (FITS 4.0, sections 4.4.1.1 and 4.4.1.2), and its axes."""

    def number(keyword: str, default: int | None = None) -> int:
        text = keys.get(keyword)
        if text is None and default is not None:
            return default
        try:
            value = int(text)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            value = -1
        if value < 0:
            raise _Layout(_truncated(name, f"{label}: {keyword} is {text or 'missing'}, not a count"))  # fmt: skip
        return value

    bitpix = keys.get("BITPIX")
    width = BITPIX_BYTES.get(int(bitpix)) if bitpix and bitpix.lstrip("-").isdigit() else None
    if width is None:
        raise _Layout(_truncated(name, f"{label}: BITPIX is {bitpix or 'missing'}, not one FITS defines"))  # fmt: skip
    naxis = number("NAXIS")
    if naxis > 999:
        raise _Layout(_truncated(name, f"{label}: NAXIS is {naxis}; FITS allows 999 at most"))
    axes = [number(f"NAXIS{n}") for n in range(1, naxis + 1)]
    counted = axes
    if primary and keys.get("GROUPS") == "T" and axes and axes[0] == 0:
        counted = axes[1:]  # random groups: NAXIS1 = 0 is not an axis of the data
    elif primary:
        keys = {**keys, "PCOUNT": "0", "GCOUNT": "1"}
    values = math.prod(counted) if counted else 0
    return width * number("GCOUNT", 1) * (number("PCOUNT", 0) + values), axes


def _count_extensions(stream, offset: int, size: int) -> int | None:
    """How many extensions a file of too many holds, walking their headers as _walk does;
    None when a header on the way is broken (the file has more than MAX_HDUS - 1 anyway)."""
    index = MAX_HDUS
    try:
        while offset < size:
            stream.seek(offset)
            # No cap on the cards here: only counting, and the walk is bounded by the file.
            keys, _, length = _header(stream, "", index, size)
            if "XTENSION" not in keys:
                break
            nbytes, _ = _data_size(keys, "", "", primary=False)
            offset += length + -(-nbytes // BLOCK) * BLOCK
            index += 1
    except _Layout:
        return None
    return index - 1


class _Checker:
    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []
        self.refused_early = False

    def add(self, severity: str, message: str, table=None, column=None, row=None) -> None:
        self.problems.append(Problem(self.file, table, column, row, message, severity))

    def damaged_units(self, caught: list[warnings.WarningMessage]) -> None:
        changed = []
        for warning in caught:
            text = str(warning.message).strip()
            lowered = text.lower()
            checksum = re.match(r"(Checksum|Datasum) verification failed for HDU \('([^']*)'", text)
            if checksum:
                if checksum[2] not in changed:
                    changed.append(checksum[2])
            elif any(sign in lowered for sign in ("truncated", "corrupted", "unexpected end")):
                # astropy drops an extension cut short with this warning: the file reads, minus it.
                detail = " ".join(text.split())
                self.problems.append(_truncated(self.file, detail))
                self.refused_early = True
                return  # its checksums fail too, of course: one message is enough
        if changed:
            # Tools that edit a header and keep the pipeline's CHECKSUM produce this; the data
            # may be right, but the curator should know the file is not the pipeline's own.
            self.add(
                WARNING,
                f"the CHECKSUM or DATASUM of {', '.join(changed)} does not match its content: "
                "the file was changed after it was written.",
            )

    def run(self, hdus: fits.HDUList) -> int | None:
        tables = [(i, hdu) for i, hdu in enumerate(hdus) if i and isinstance(hdu, fits.BinTableHDU)]
        by_name: dict[str, list[tuple[int, fits.BinTableHDU]]] = {}
        for i, hdu in tables:
            by_name.setdefault(hdu.name, []).append((i, hdu))
        known = [n for n in by_name if n in TABLES]
        if not known:
            self.add(
                ERROR,
                f"{self.file} is a FITS file but not OIFITS: it has none of the tables "
                "OI_TARGET, OI_WAVELENGTH, OI_VIS2, OI_VIS, OI_T3.",
            )
            return None
        # The 2005 standard: one OI_TARGET, at least one OI_WAVELENGTH, at least one
        # data table; its data are the squared visibilities the fit reads.
        for needed in ("OI_TARGET", "OI_WAVELENGTH"):
            if needed not in by_name:
                self.add(
                    ERROR, f"{self.file} has no {needed} table, which every OIFITS file must have."
                )
        if not any(n in by_name for n in DATA_TABLES):
            self.add(ERROR, f"{self.file} has no data table (OI_VIS2, OI_VIS, OI_T3, OI_FLUX).")
        elif "OI_VIS2" not in by_name:
            self.add(
                ERROR,
                f"{self.file} has no OI_VIS2 table: the diameter is fitted to squared visibilities "
                "and this file has none.",
            )
        revision = self._revision(hdus, by_name)
        if revision == 2:
            self._primary_2(hdus[0].header)
            if "OI_ARRAY" not in by_name:
                self.add(
                    WARNING, f"{self.file} has no OI_ARRAY table, which OIFITS 2 makes mandatory."
                )
        waves = {
            _text(hdu.header.get("INSNAME")): (i, hdu)
            for i, hdu in by_name.get("OI_WAVELENGTH", [])
        }
        arrays = {_text(hdu.header.get("ARRNAME")): hdu for _, hdu in by_name.get("OI_ARRAY", [])}
        targets = self._target_ids(by_name.get("OI_TARGET", []))
        for i, hdu in tables:
            if hdu.name in TABLES:
                self._table(i, hdu, revision, waves, arrays, targets)
        return revision

    def _revision(self, hdus, by_name) -> int:
        # OI_REVN of OI_TARGET says the file's revision (1 in the 2005 standard, 2 in the 2017
        # one, for the tables both define); the others should agree.
        target = by_name.get("OI_TARGET", [])
        stated = target[0][1].header.get("OI_REVN") if target else None
        if stated not in (1, 2):
            others = [
                hdu.header.get("OI_REVN")
                for name, found in by_name.items()
                if name in TABLES and name not in OWN_REVISION_1
                for _, hdu in found
            ]
            guessed = 2 if 2 in others else 1
            self.add(
                WARNING,
                f"OI_REVN is {stated!r}, not 1 or 2: read as OIFITS {guessed}.",
                _label(*target[0]) if target else None,
                "OI_REVN",
            )
            return guessed
        return int(stated)

    def _primary_2(self, header) -> None:
        for keyword in PRIMARY_KEYWORDS_2:
            if keyword not in header:
                self.add(
                    WARNING,
                    "missing from the primary header, which OIFITS 2 requires.",
                    "primary header",
                    keyword,
                )
        if "CONTENT" in header and _text(header["CONTENT"]) != "OIFITS2":
            self.add(
                WARNING,
                f"is {header['CONTENT']!r}; an OIFITS 2 file says 'OIFITS2'.",
                "primary header",
                "CONTENT",
            )

    def _target_ids(self, found) -> set[int] | None:
        if not found or "TARGET_ID" not in found[0][1].columns.names:
            return None
        return {int(i) for i in found[0][1].data["TARGET_ID"]}

    def _table(self, index, hdu, revision, waves, arrays, targets) -> None:
        label = _label(index, hdu)
        name = hdu.name
        header = hdu.header
        for keyword in KEYWORDS[name]:
            if keyword not in header:
                severity = ERROR if (name == "OI_VIS2" and keyword == "INSNAME") else WARNING
                self.add(severity, "keyword missing from the table's header.", label, keyword)
        expected_revn = 1 if name in OWN_REVISION_1 else revision
        if "OI_REVN" in header and header["OI_REVN"] != expected_revn:
            self.add(
                WARNING,
                f"OI_REVN is {header['OI_REVN']!r} in an OIFITS {revision} file (expected {expected_revn}).",
                label,
                "OI_REVN",
            )
        nwave = None
        if name in DATA_TABLES:
            nwave = self._references(label, hdu, revision, waves, arrays, targets)
        data = hdu.data
        present = set(hdu.columns.names)
        for col in TABLES[name]:
            if col.revision > revision:
                continue
            if col.name not in present:
                severity = ERROR if col.fit else WARNING
                self.add(
                    severity,
                    f"column missing: the {name} table of OIFITS {revision} has it.",
                    label,
                    col.name,
                )
                continue
            self._column(label, hdu.columns[col.name], data[col.name], col, nwave)
        if name == "OI_WAVELENGTH" and "EFF_WAVE" in present:
            self._wavelengths(label, data)
        if name == "OI_VIS2" and nwave is not None:
            self._vis2_values(label, data, present, nwave)

    def _references(self, label, hdu, revision, waves, arrays, targets) -> int | None:
        """INSNAME -> OI_WAVELENGTH, ARRNAME -> OI_ARRAY, TARGET_ID -> OI_TARGET, STA_INDEX ->
        the array's stations, as both standards define them.
        Returns NWAVE of the referenced wavelengths, None when there are none."""
        name = hdu.name
        insname = _text(hdu.header.get("INSNAME"))
        nwave = None
        if "INSNAME" in hdu.header:
            if insname in waves:
                wave_hdu = waves[insname][1]
                nwave = len(wave_hdu.data) if wave_hdu.data is not None else 0
            else:
                known = ", ".join(repr(w) for w in waves) or "none"
                self.add(
                    ERROR if name == "OI_VIS2" else WARNING,
                    f"INSNAME {insname!r} names no OI_WAVELENGTH table (those of the file: {known}): "
                    "its points have no wavelength.",
                    label,
                    "INSNAME",
                )
        arrname = hdu.header.get("ARRNAME")
        if arrname is None:
            if revision == 2:
                self.add(
                    WARNING,
                    "keyword missing: OIFITS 2 requires ARRNAME in a data table.",
                    label,
                    "ARRNAME",
                )
        elif _text(arrname) not in arrays:
            self.add(
                WARNING, f"ARRNAME {_text(arrname)!r} names no OI_ARRAY table.", label, "ARRNAME"
            )
        columns = hdu.columns.names
        if targets is not None and "TARGET_ID" in columns:
            ids = np.asarray(hdu.data["TARGET_ID"])
            bad = [r for r, i in enumerate(ids) if int(i) not in targets]
            self._rows(
                WARNING,
                label,
                "TARGET_ID",
                bad,
                lambda r: f"TARGET_ID {ids[r]} is not in OI_TARGET.",
            )
        array = arrays.get(_text(arrname)) if arrname is not None else None
        if array is not None and "STA_INDEX" in columns and "STA_INDEX" in array.columns.names:
            stations = {int(s) for s in array.data["STA_INDEX"]}
            indexes = np.asarray(hdu.data["STA_INDEX"]).reshape(len(hdu.data), -1)
            bad = [r for r, row in enumerate(indexes) if any(int(s) not in stations for s in row)]
            self._rows(
                WARNING, label, "STA_INDEX", bad,
                lambda r: f"STA_INDEX {list(map(int, indexes[r]))} names a station not in OI_ARRAY {_text(arrname)!r}.",
            )  # fmt: skip
        return nwave

    def _column(self, label, column, values, col: Col, nwave) -> None:
        fmt = column.format
        severity = ERROR if col.fit else WARNING
        code = fmt.format
        if col.code == "L" and code != "L":
            self.add(
                WARNING,
                f"is of FITS type {code}, not logical (L): read as flagged where not 0.",
                label,
                col.name,
            )
        elif (
            code != col.code
            and not (col.code in "DE" and code in "DE")
            and not (col.code == "I" and code in "IJK")
        ):
            self.add(
                severity, f"is of FITS type {code}; the standard gives {col.code}.", label, col.name
            )
        expected = nwave if col.repeat == NWAVE else col.repeat
        if expected is not None and col.code != "A":
            actual = int(np.prod(np.shape(values)[1:], dtype=int))
            if actual != expected:
                what = (
                    f"NWAVE = {expected}, the channels of its OI_WAVELENGTH"
                    if col.repeat == NWAVE
                    else str(expected)
                )
                shape_severity = (
                    ERROR
                    if (col.fit or (col.name == "FLAG" and label.startswith("OI_VIS2")))
                    else WARNING
                )
                self.add(
                    shape_severity,
                    f"has {actual} values per row; the standard gives {what}.",
                    label,
                    col.name,
                )
        if col.unit:
            self._unit(label, column.unit, col, severity)

    def _unit(self, label, unit, col: Col, severity) -> None:
        if not unit or not str(unit).strip():
            self.add(
                WARNING,
                f"has no unit (TUNIT); the standard fixes {col.unit}: read as {col.unit}.",
                label,
                col.name,
            )
            return
        written = str(unit).strip()
        if written.lower() in UNIT_SPELLINGS.get(col.unit, {col.unit}):
            return
        parsed = units.Unit(written, parse_strict="silent")
        if isinstance(parsed, units.UnrecognizedUnit):
            self.add(
                WARNING,
                f"has the unit {written!r}, not one astropy knows; the standard fixes {col.unit}.",
                label,
                col.name,
            )
        elif parsed != units.Unit(col.unit):
            self.add(severity, f"is in {written}; the standard fixes {col.unit}.", label, col.name)

    def _wavelengths(self, label, data) -> None:
        # A wavelength is what every point's spatial frequency is divided by: a missing, zero or
        # negative one is a broken file, not a deviation.
        waves = np.asarray(data["EFF_WAVE"], float)
        bad = [r for r, w in enumerate(waves) if not (np.isfinite(w) and w > 0)]
        self._rows(
            ERROR,
            label,
            "EFF_WAVE",
            bad,
            lambda r: f"EFF_WAVE is {float(waves[r])!r}: a wavelength must be positive.",
        )
        if len(waves) == 0:
            self.add(ERROR, "has no row: no wavelength for its data.", label, "EFF_WAVE")

    def _vis2_values(self, label, data, present, nwave: int) -> None:
        """The points the fit would read: those it must leave out are named (warnings); none
        left at all refuses the file. Columns of the wrong shape were refused already."""
        if not {"VIS2DATA", "VIS2ERR", "UCOORD", "VCOORD"} <= present:
            return
        rows = len(data)
        if any(np.size(data[c]) != rows * nwave for c in ("VIS2DATA", "VIS2ERR")):
            return
        u = np.asarray(data["UCOORD"], float)
        v = np.asarray(data["VCOORD"], float)
        baseline = np.hypot(u, v)
        bad_uv = [r for r in range(rows) if not np.isfinite(baseline[r])]
        zero_uv = [r for r in range(rows) if baseline[r] == 0]
        self._rows(WARNING, label, "UCOORD", bad_uv, lambda r: f"(u,v) = ({float(u[r])!r}, {float(v[r])!r}) is not a number: its points are left out of the fit.")  # fmt: skip
        self._rows(WARNING, label, "UCOORD", zero_uv, lambda r: "(u,v) = (0, 0): a zero baseline measures no diameter; its points are left out of the fit.")  # fmt: skip
        values = np.asarray(data["VIS2DATA"], float).reshape(rows, -1)
        errors = np.asarray(data["VIS2ERR"], float).reshape(rows, -1)
        flags = (
            np.asarray(data["FLAG"]).reshape(rows, -1).astype(bool)
            if "FLAG" in present
            else np.zeros(values.shape, bool)
        )
        if flags.shape != values.shape:
            flags = np.zeros(values.shape, bool)
        bad_err = [
            r
            for r in range(rows)
            if np.any(~flags[r] & ~(np.isfinite(errors[r]) & (errors[r] > 0)))
        ]
        self._rows(WARNING, label, "VIS2ERR", bad_err, lambda r: "unflagged values without a finite positive error: left out of the fit.")  # fmt: skip
        bad_val = [r for r in range(rows) if np.any(~flags[r] & ~np.isfinite(values[r]))]
        self._rows(WARNING, label, "VIS2DATA", bad_val, lambda r: "unflagged values that are not numbers: left out of the fit.")  # fmt: skip
        usable = ~flags & np.isfinite(values) & np.isfinite(errors) & (errors > 0)
        usable &= (np.isfinite(baseline) & (baseline > 0))[:, None]
        if rows and not usable.any():
            self.add(ERROR, "no point left for the fit: every value is flagged, not a number, without an error or at a zero baseline.", label)  # fmt: skip

    def _rows(self, severity, label, column, rows: list[int], message) -> None:
        for r in rows[:ROWS_NAMED]:
            self.add(severity, message(r), label, column, r + 1)
        if len(rows) > ROWS_NAMED:
            self.add(
                severity,
                f"and {len(rows) - ROWS_NAMED} more rows with the same problem.",
                label,
                column,
            )


def _label(index: int, hdu) -> str:
    parts = [f"HDU {index}"]
    if "EXTVER" in hdu.header:
        parts.append(f"EXTVER {hdu.header['EXTVER']}")
    if "INSNAME" in hdu.header:
        parts.append(f"INSNAME {_text(hdu.header['INSNAME'])}")
    return f"{hdu.name} ({', '.join(parts)})"


def _text(value) -> str:
    return str(value).strip() if value is not None else ""
