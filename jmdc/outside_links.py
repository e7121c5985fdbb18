"""Where else a star is described: the addresses of SIMBAD, VizieR (the JMDC II/345 and the
JSDC II/346), Aladin and the ESO archive for one star, built from what the portal knows of
it (SIMBAD's main identifier when SIMBAD has given one, else its position, else its name);
and ADS's page of a measurement's publication (the pages' bibcode cells and DataLink)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from .jsdc import CATALOGUE as JSDC_TABLE

SIMBAD = "https://simbad.cds.unistra.fr/simbad"
VIZIER = "https://vizier.cds.unistra.fr/viz-bin/VizieR-3"
JMDC_TABLE = "II/345/jmdc"
ALADIN = "https://aladin.cds.unistra.fr/AladinLite/"
ADS_ABSTRACT = "https://ui.adsabs.harvard.edu/abs/{}/abstract"
ESO_RAW_ARCHIVE = "https://archive.eso.org/wdb/wdb/eso/eso_archive_main/query"
# How far around the position the catalogues are searched: the stars of the JMDC are bright,
# their positions good to well under an arcsecond.
RADIUS_ARCSEC = 5


@dataclass(frozen=True)
class Link:
    label: str  # what the link opens, in the page's words
    url: str


def position_text(ra: float, dec: float) -> str:
    return f"{ra:.6f} {dec:+.6f}"


def simbad(*, main_id: str, name: str, ra: float | None, dec: float | None) -> Link:
    if main_id:
        query = urlencode({"Ident": main_id})
        return Link(f"SIMBAD: {main_id}", f"{SIMBAD}/sim-id?{query}")
    if ra is not None and dec is not None:
        query = urlencode(
            {"Coord": position_text(ra, dec), "Radius": RADIUS_ARCSEC, "Radius.unit": "arcsec"}
        )
        return Link("SIMBAD: objects at this position", f"{SIMBAD}/sim-coo?{query}")
    return Link(f"SIMBAD: {name}", f"{SIMBAD}/sim-id?{urlencode({'Ident': name})}")


def vizier_jmdc(id1: str) -> Link:
    """The star's rows in the published catalogue, by its ID1 (II/345 gives no position)."""
    query = urlencode({"-source": JMDC_TABLE, "ID1": id1})
    return Link(f"VizieR {JMDC_TABLE}: the published rows of {id1}", f"{VIZIER}?{query}")


def vizier_jsdc(ra: float, dec: float) -> Link:
    query = urlencode({"-source": JSDC_TABLE, "-c": position_text(ra, dec), "-c.rs": RADIUS_ARCSEC})
    return Link(f"VizieR {JSDC_TABLE}: the JSDC at this position", f"{VIZIER}?{query}")


def aladin(ra: float, dec: float) -> Link:
    query = urlencode({"target": position_text(ra, dec), "fov": "0.25"})
    return Link("Aladin Lite: the sky around the star", f"{ALADIN}?{query}")


def eso_archive(*, ra: float | None, dec: float | None, name: str) -> Link:
    """The ESO raw-data archive's query form, filled for this star: by position (a 2 arcmin
    box) when the portal has one, else by the name, resolved by the archive through SIMBAD."""
    if ra is not None and dec is not None:
        query = urlencode(
            {"ra": f"{ra:.6f}", "dec": f"{dec:+.6f}", "deg_or_hour": "degrees", "box": "00 02 00"}
        )
        return Link("ESO archive: exposures at this position", f"{ESO_RAW_ARCHIVE}?{query}")
    query = urlencode({"target": name, "resolver": "simbad"})
    return Link(f"ESO archive: exposures of {name}", f"{ESO_RAW_ARCHIVE}?{query}")


def ads_abstract(bibcode: str) -> Link | None:
    """The publication's abstract at ADS; None for a pseudo-bibcode (the year and dots, or
    dots alone), which ADS does not know: its citation is in the row's NOTES."""
    if not bibcode or bibcode.strip(".").isdigit() or set(bibcode) == {"."}:
        return None
    return Link(f"ADS: {bibcode}", ADS_ABSTRACT.format(quote(bibcode, safe="")))
