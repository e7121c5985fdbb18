"""The portal's one JSDC client: JMMC's Stellar Diameters Catalogue (VizieR II/346/jsdc_v2,
Bourges et al. 2017) through astroquery's ``Vizier``, for the predicted LD diameter of a star.

- One POST per batch of stars: ``query_region`` given many positions sends them as one list
  (``-c=<<====AstroqueryList``), and VizieR numbers each answer row with ``_q``, the position
  it answers (from 1), and ``_r``, its distance from that position: the nearest row wins.
- astroquery builds ``https://<server>/viz-bin/votable`` from a host name alone: a subclass
  takes the whole URL from settings (``VIZIER_URL``), so that tests reach a local stand-in.
- astroquery's own disk cache is off: the portal's cache is the star's
  ``SourceFacts(source=jsdc)`` (jmdc/predictions.py), kept with its date and shown on the page.

Service trouble (no connection, timeout, 5xx, an unreadable answer) raises
``VizierUnavailable``: the prediction is asked for again later, the identification stands.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from functools import cache

import numpy
import requests
from django.conf import settings

from .simbad import PoliteSession

CATALOGUE = "II/346/jsdc_v2"
# JSDC positions are SIMBAD's J2000 ones, as are the stars': a few arcsec leaves room for
# rounding and the fastest proper motions without reaching a neighbour (stars bright enough
# to have a JSDC diameter are rarely closer than that).
MATCH_RADIUS_ARCSEC = 3.0
BATCH_SIZE = 500
COLUMNS = ["Name", "LDD", "e_LDD", "CalFlag", "_r"]


class VizierUnavailable(Exception):
    """VizieR did not answer usefully: ask again later."""


@dataclass(frozen=True)
class JsdcEntry:
    """The JSDC's row nearest to a position."""

    name: str  # the JSDC's normalised name (preferably HD)
    ldd: float | None  # mas; None where the JSDC writes -1 (no estimate)
    e_ldd: float | None
    distance_arcsec: float
    cal_flag: int | None = None  # the JSDC's CalFlag bits (II/346 note 3)


class JsdcClient:
    def __init__(
        self,
        url: str,
        *,
        timeout: float = 30.0,
        user_agent: str = "JMDC-portal",
        rate: float = 2.0,
        batch_size: int = BATCH_SIZE,
    ):
        from astroquery.vizier import VizierClass

        class _Vizier(VizierClass):
            def _server_to_url(self, return_type="votable"):
                return url

        self.url = url
        self.batch_size = batch_size
        self._vizier = _Vizier(columns=COLUMNS, catalog=CATALOGUE, row_limit=-1, timeout=timeout)
        self._vizier._session = PoliteSession(timeout, user_agent, rate)

    def entries(self, positions: list[tuple[float, float]]) -> list[JsdcEntry | None]:
        """For each (RA, Dec) in ICRS degrees, the JSDC's nearest row within
        MATCH_RADIUS_ARCSEC, or None: one request per batch of ``batch_size`` positions."""
        import astropy.units as u
        from astropy.coordinates import SkyCoord

        found: list[JsdcEntry | None] = []
        for start in range(0, len(positions), self.batch_size):
            batch = positions[start : start + self.batch_size]
            coordinates = SkyCoord(
                ra=[ra for ra, _ in batch] * u.deg, dec=[dec for _, dec in batch] * u.deg
            )
            with _VizierErrors(), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # astropy's VOTable chatter
                tables = self._vizier.query_region(
                    coordinates,
                    radius=MATCH_RADIUS_ARCSEC * u.arcsec,
                    frame="icrs",
                    cache=False,
                )
            if tables is None:  # a 200 whose body is no VOTable (a maintenance page)
                raise VizierUnavailable("VizieR answered something that is not a VOTable")
            nearest: dict[int, JsdcEntry] = {}
            for table in tables.values():
                for row in table:
                    number = int(row["_q"])
                    entry = JsdcEntry(
                        name=" ".join(str(row["Name"]).split()),
                        ldd=_diameter(row["LDD"]),
                        e_ldd=_diameter(row["e_LDD"], allow_zero=True),
                        distance_arcsec=float(row["_r"]),
                        cal_flag=_flag(row["CalFlag"]),
                    )
                    if (
                        number not in nearest
                        or entry.distance_arcsec < nearest[number].distance_arcsec
                    ):
                        nearest[number] = entry
            found += [nearest.get(number) for number in range(1, len(batch) + 1)]
        return found


def _flag(value) -> int | None:
    """CalFlag, a bit field 0 to 7; None where masked or outside it."""
    if value is None or numpy.ma.is_masked(value):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 <= number <= 7 else None


def _diameter(value, *, allow_zero: bool = False) -> float | None:
    """A value of the catalogue, None where it is masked or -1 (the ReadMe's null)."""
    if value is None or numpy.ma.is_masked(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(number) or number < 0 or (number == 0 and not allow_zero):
        return None
    return number


class _VizierErrors:
    """Turns requests' and astroquery's failures into the one error callers act on."""

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is None:
            return False
        from astroquery.exceptions import TableParseError

        if isinstance(exc, requests.HTTPError):
            status = exc.response.status_code if exc.response is not None else "?"
            raise VizierUnavailable(f"VizieR answered HTTP {status}") from exc
        if isinstance(exc, requests.Timeout):
            raise VizierUnavailable("VizieR gave no answer in time") from exc
        if isinstance(exc, (requests.RequestException, OSError)):
            raise VizierUnavailable(f"VizieR cannot be reached: {exc.__class__.__name__}") from exc
        if isinstance(exc, (TableParseError, ValueError, KeyError)):
            raise VizierUnavailable(f"VizieR answered something unreadable: {exc}") from exc
        return False


@cache
def get_client() -> JsdcClient:
    """One client per process, configured from settings."""
    return JsdcClient(
        settings.VIZIER_URL,
        timeout=settings.VIZIER_TIMEOUT,
        user_agent=settings.SIMBAD_USER_AGENT,
        rate=settings.VIZIER_MAX_REQUESTS_PER_SECOND,
    )
