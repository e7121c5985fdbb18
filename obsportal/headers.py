"""From an ESO FITS header to an exposure record: the keyword table of the ObsPortal contract.

``keywords_of`` turns a header (a FITS file, a text dump of 80-character cards, or an
astropy Header) into a flat dict keyed the way ESO writes keywords in its archive
(``DPR.CATG``, ``ISS.PBL12.START``; plain FITS keywords as they are: ``RA``, ``MJD-OBS``).
``map_header`` is pure: from those keywords to an ``ExposureRecord`` with a validation level
and a log naming every keyword that was missing or replaced, or a ``NotAnExposure`` saying why
the header is not one we keep (not interferometric, an acquisition, no start time). Nothing is
dropped without a reason.
"""

from __future__ import annotations

import datetime
import io
import math
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from astropy.io import fits
from astropy.io.fits.verify import VerifyError

INTERFEROMETERS = {"VLTI": re.compile(r"^ESO-VLTI")}


class NotAnExposure(Exception):
    """The header is not an interferometric science or calibrator exposure we can keep."""


def keywords_of(source: str | Path | bytes | fits.Header) -> dict[str, Any]:
    """The header's keywords, ``HIERARCH ESO ISS PBL12 START`` as ``ISS.PBL12.START``.

    ``source`` is a FITS file, a text dump (one card per line, as ``dfits`` or the archive's
    header service print them), its bytes, or an astropy Header. A card that cannot be read
    is listed under ``_unreadable`` with its line, never skipped silently.
    """
    unreadable: list[str] = []
    if isinstance(source, fits.Header):
        cards = list(source.cards)
    else:
        with io.BytesIO(source) if isinstance(source, bytes) else Path(source).open("rb") as handle:
            start = handle.read(80)
            handle.seek(0)
            if start.startswith(b"SIMPLE  =") and b"\n" not in start:
                # A FITS file: read its header blocks only, never the data.
                cards = list(fits.Header.fromfile(handle).cards)
            else:
                cards, unreadable = _cards_of_text(handle.read().decode("ascii", "replace"))
    keywords: dict[str, Any] = {}
    for card in cards:
        key = card.keyword
        if not key or key in ("COMMENT", "HISTORY"):
            continue
        if key.startswith("ESO "):
            key = key[4:].replace(" ", ".")
        value = card.value
        keywords[key] = value.strip() if isinstance(value, str) else value
    if unreadable:
        keywords["_unreadable"] = unreadable
    return keywords


def _cards_of_text(text: str) -> tuple[list[fits.Card], list[str]]:
    cards, unreadable = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.rstrip() == "END":
            break
        if not line.strip():
            continue
        try:
            card = fits.Card.fromstring(line[:80].ljust(80))
            card.value  # noqa: B018 - parsing happens on access
        except (VerifyError, ValueError) as exc:
            unreadable.append(f"line {number}: {line.strip()[:40]!r} ({exc})")
            continue
        cards.append(card)
    return cards, unreadable


def card_name(key: str) -> str:
    """How the log names a keyword: as the FITS card (``HIERARCH ESO ISS AMBI TEMP``)."""
    if "." in key:
        return "HIERARCH ESO " + key.replace(".", " ")
    return key


@dataclass
class ExposureRecord:
    """The fields of an ``obsportal.Exposure`` (everything but the star)."""

    exp_id: str
    header_id: str
    mjd_start: float
    mjd_end: float
    category: str
    instrument: str
    interferometer: str = "VLTI"
    obs_id: int | None = None
    program: str = ""
    stations: str = ""
    mode: str = ""
    submode: str = ""
    setup: dict = field(default_factory=dict)
    baselines: dict = field(default_factory=dict)
    tau0: float | None = None
    seeing: float | None = None
    temperature: float | None = None
    target_name: str = ""
    ra: float | None = None
    dec: float | None = None
    validation_level: int = 1
    validation_log: list[str] = field(default_factory=list)
    em_min: float | None = None
    em_max: float | None = None
    res_power: float | None = None
    # Known to the archive's catalogue, not to the header (ESO's PI-COI NAME is 'UNKNOWN').
    program_title: str = ""
    program_pi_coi: str = ""
    date_release: datetime.datetime | None = None

    def values(self) -> dict[str, Any]:
        """The fields as keyword arguments of an Exposure. Shallow, unlike dataclasses.asdict,
        whose deep copy of every baseline dict was most of the cost of a bulk ingestion; the
        names read once (dataclasses.fields per record was half of what remained)."""
        return dict(zip(_RECORD_NAMES, _record_values(self), strict=True))


_RECORD_NAMES = tuple(f.name for f in fields(ExposureRecord))
_record_values = operator.attrgetter(*_RECORD_NAMES)


class _Reader:
    """Keyword access that remembers what was missing."""

    def __init__(self, keywords: Mapping[str, Any]):
        self.keywords = keywords
        self.log: list[str] = []
        self.incomplete = False

    def has(self, key: str) -> bool:
        value = self.keywords.get(key)
        return value is not None and value != ""

    def get(self, key: str, *, required: bool = True) -> Any:
        if self.has(key):
            return self.keywords[key]
        if required:
            self.missing(key)
        return None

    def missing(self, key: str, note: str = "") -> None:
        self.incomplete = True
        self.log.append(f"Missing '{card_name(key)}'" + (f"; {note}" if note else ""))

    def number(self, key: str, *, required: bool = True) -> float | None:
        value = self.get(key, required=required)
        if value is None:
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = None
        if number is None or not math.isfinite(number):
            # NaN or infinity ('nan', 1e999): no position, length or angle, and NaN is no JSON
            # for the baselines' jsonb (the whole batch would be refused).
            self._not_finite(key, value)
            return None
        return number

    def card(self, key: str) -> Any:
        """A card's value as read (text, number, boolean) for the setup's JSON, which holds
        no NaN or infinity (the bulk COPY would store null, a save() be refused): None then."""
        value = self.keywords[key]
        if isinstance(value, float) and not math.isfinite(value):
            self._not_finite(key, value)
            return None
        return value

    def _not_finite(self, key: str, value: Any) -> None:
        self.incomplete = True
        self.log.append(f"'{card_name(key)}' = {value!r} is not a finite number")

    def mean(self, start: str, end: str) -> float | None:
        values = [v for v in (self.number(start), self.number(end)) if v is not None]
        return sum(values) / len(values) if values else None


def _category(r: _Reader) -> str:
    tech = r.get("DPR.TECH", required=False)
    catg = (r.get("DPR.CATG", required=False) or "").upper()
    kind = (r.get("DPR.TYPE", required=False) or "").upper()
    if tech is not None and not str(tech).upper().startswith("INTERFEROMETRY"):
        raise NotAnExposure(f"DPR.TECH is {tech!r}, not interferometry")
    if catg:
        if catg == "CALIB" or "STD" in kind:
            return "calibrator"
        if catg == "SCIENCE" and "OBJECT" in kind:
            return "science"
        raise NotAnExposure(
            f"DPR.CATG {catg!r} with DPR.TYPE {kind!r} is neither science nor a calibrator"
        )
    # Pipeline products lose DPR: the OB's name says science (SCI_) or calibrator (CAL_).
    ob_name = str(r.get("OBS.NAME", required=False) or "")
    for prefix, category in (("SCI", "science"), ("CAL", "calibrator")):
        if ob_name.upper().startswith(prefix):
            r.missing("DPR.CATG", f"{category} from the OB name {ob_name!r}")
            return category
    raise NotAnExposure("no DPR.CATG, and the OB name says neither SCI nor CAL")


def _header_id(r: _Reader) -> str:
    arcfile = r.get("ARCFILE", required=False)
    if arcfile:
        return re.sub(r"\.fits(\.[zZ]|\.fz)?$", "", str(arcfile))
    raw = r.get("PRO.REC1.RAW1.NAME", required=False)
    if raw:
        name = re.sub(r"\.fits$", "", str(raw))
        r.missing("ARCFILE", f"named after the raw file {name!r}")
        return name
    raise NotAnExposure("no ARCFILE (DP.ID) nor raw file name to identify the exposure")


def _duration(r: _Reader) -> float | None:
    exptime = r.number("EXPTIME", required=False)
    sequence = r.number("DET.SEQ1.EXPTIME", required=False)
    if exptime is not None and exptime >= 1:
        return exptime
    if sequence is not None:  # MATISSE: EXPTIME is one frame, the sequence is the exposure
        r.log.append(
            f"'EXPTIME' = {exptime!r}: the duration is 'HIERARCH ESO DET SEQ1 EXPTIME' ({sequence} s)"
            if exptime is not None
            else f"Missing 'EXPTIME'; duration from 'HIERARCH ESO DET SEQ1 EXPTIME' ({sequence} s)"
        )
        r.incomplete = r.incomplete or exptime is None
        return sequence
    dit, ndit = r.number("DET2.SEQ1.DIT", required=False), r.number("DET2.NDIT", required=False)
    if exptime is None and dit is not None and ndit is not None:  # GRAVITY science camera
        r.missing("EXPTIME", f"duration from DET2 DIT x NDIT ({dit * ndit:g} s)")
        return dit * ndit
    if exptime is None:
        r.missing("EXPTIME")
    return exptime


def _mode(instrument: str, r: _Reader) -> tuple[str, str, dict]:
    setup_keys = {
        "MATISSE": ["INS.DIL.NAME", "INS.DIN.NAME", "INS.PIL.NAME", "INS.PIN.NAME", "INS.MODE",
                    "DET.NAME"],
    }  # fmt: skip
    if instrument == "GRAVITY":
        res, pola = r.get("INS.SPEC.RES"), r.get("INS.POLA.MODE")
        mode = f"{res}-{pola}" if res and pola else ""
        source = str(r.get("DPR.TYPE", required=False) or r.get("TPL.ID", required=False) or "")
        submode = (
            "DUAL" if "DUAL" in source.upper() else "SINGLE" if "SINGLE" in source.upper() else ""
        )
        return mode, submode, {}
    if instrument == "PIONIER":
        optics, filt = r.get("INS.OPTI2.NAME"), r.get("INS.FILT1.NAME")
        return (f"{optics}-{filt}" if optics and filt else ""), "", {}
    keys = setup_keys.get(instrument, ["INS.MODE"])
    cards = {key: r.card(key) for key in keys if r.has(key)}
    setup = {key: value for key, value in cards.items() if value is not None}
    return ("" if instrument == "MATISSE" else str(setup.get("INS.MODE", ""))), "", setup


def map_header(keywords: Mapping[str, Any], *, exposure_number: int = 1) -> ExposureRecord:
    """The exposure a header describes. Raises ``NotAnExposure`` with the reason otherwise."""
    r = _Reader(keywords)
    category = _category(r)
    header_id = _header_id(r)
    mjd_start = r.number("MJD-OBS", required=False)
    if mjd_start is None:
        raise NotAnExposure("no MJD-OBS: the exposure has no start time")
    duration = _duration(r)
    mjd_end = mjd_start + (duration or 0.0) / 86400.0

    telescope = str(r.get("TELESCOP") or "")
    interferometer = next(
        (name for name, pattern in INTERFEROMETERS.items() if pattern.match(telescope)), telescope
    )
    instrument = str(r.get("INSTRUME") or "").strip().upper()
    mode, submode, setup = _mode(instrument, r)

    stations: list[str] = []
    ntel = r.number("ISS.CONF.NTEL")
    for i in range(1, int(ntel or 0) + 1):
        station = r.get(f"ISS.CONF.STATION{i}")
        stations.append(str(station) if station else "?")
    baselines: dict[str, dict] = {}
    for i in range(1, len(stations) + 1):
        for j in range(i + 1, len(stations) + 1):
            baselines[f"{stations[i - 1]}-{stations[j - 1]}"] = {
                "length": [r.number(f"ISS.PBL{i}{j}.START"), r.number(f"ISS.PBL{i}{j}.END")],
                "angle": [r.number(f"ISS.PBLA{i}{j}.START"), r.number(f"ISS.PBLA{i}{j}.END")],
            }

    ra, dec = r.number("RA"), r.number("DEC")
    if ra is None or dec is None or (ra == 0 and dec == 0) or not (-90 <= dec <= 90):
        r.incomplete = True
        r.log.append(
            f"Invalid position RA={ra!r} DEC={dec!r}: the exposure is not in cone searches"
        )
        ra = dec = None
    else:
        ra %= 360.0

    target = r.get("OBS.TARG.NAME", required=False) or r.get("OBJECT", required=False)
    if not target:
        r.missing("OBS.TARG.NAME")
    obs_id = r.number("OBS.ID")
    return ExposureRecord(
        exp_id=f"{header_id}_{exposure_number}",
        header_id=header_id,
        mjd_start=mjd_start,
        mjd_end=mjd_end,
        category=category,
        instrument=instrument,
        interferometer=interferometer,
        obs_id=int(obs_id) if obs_id is not None else None,
        program=str(r.get("OBS.PROG.ID") or ""),
        stations=" ".join(stations),
        mode=mode,
        submode=submode,
        setup=setup,
        baselines=baselines,
        tau0=r.mean("ISS.AMBI.TAU0.START", "ISS.AMBI.TAU0.END"),
        seeing=r.mean("ISS.AMBI.FWHM.START", "ISS.AMBI.FWHM.END"),
        temperature=r.number("ISS.AMBI.TEMP"),
        target_name=str(target or ""),
        ra=ra,
        dec=dec,
        validation_level=0 if r.incomplete else 1,
        validation_log=r.log,
    )


def baselines_string(baselines: dict) -> str:
    """The baselines as the ObsPortal clients read them: a Python-repr dict whose values are
    strings with 4 decimals, ``None`` for a value the header lacked."""

    def value(number):
        return "None" if number is None else f"'{number:.4f}'"

    parts = []
    for pair, data in baselines.items():
        (l0, l1), (a0, a1) = data["length"], data["angle"]
        if l0 is not None and l1 is not None and a0 is not None and a1 is not None:
            # Nearly every pair: one format, not four calls (SQLite's answers write it per row).
            parts.append(
                f"'{pair}': {{'length': {{'start': '{l0:.4f}', 'end': '{l1:.4f}'}}, "
                f"'angle': {{'start': '{a0:.4f}', 'end': '{a1:.4f}'}}}}"
            )
            continue
        parts.append(
            f"'{pair}': {{'length': {{'start': {value(l0)}, 'end': {value(l1)}}}, "
            f"'angle': {{'start': {value(a0)}, 'end': {value(a1)}}}}}"
        )
    return "{" + ", ".join(parts) + "}" if parts else ""
