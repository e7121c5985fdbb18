"""The portal's one SIMBAD client, on astroquery's ``Simbad`` (facts: simbad-protocol.md).

- The TAP URL comes from settings (``SIMBAD_TAP_URL``): astroquery only accepts the two CDS
  mirrors, so a small subclass overrides its ``tap`` property.
- Every HTTP request has a timeout and a User-Agent naming the portal: pyvo calls requests
  without ``timeout=``, so the session injects one.
- ``resolve`` sends one ``query_objects`` request per batch of names (up to ~1000) and keys the
  answers by ``object_number_id``, never by row order.
- One client per process (``get_client``): each new instance costs extra metadata requests.

Service trouble (timeouts, 5xx, 429, garbage) raises ``SimbadUnavailable`` (retry later); a
query SIMBAD refuses raises ``SimbadQueryError`` (do not retry).
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
import warnings
from dataclasses import dataclass
from functools import cache

import requests
from django.conf import settings

from lib import designations

DEFAULT_TAP_URL = "https://simbad.cds.unistra.fr/simbad/sim-tap"
# What the portal keeps of a star, in the one batched query: the main object type and all of
# them (table alltypes, one row per object, where table otypes would give one row per type),
# the spectral type, every identifier (HD, HIP, 2MASS, Gaia are read from them) and the V, J,
# H, K magnitudes (filter names: astroquery joins the allfluxes view, one row per object).
EXTRA_FIELDS = ("otype", "alltypes", "sp_type", "ids", "V", "J", "H", "K")
MAGNITUDE_COLUMNS = {"v_mag": "V", "j_mag": "J", "h_mag": "H", "k_mag": "K"}
BATCH_SIZE = 1000


class SimbadUnavailable(Exception):
    """SIMBAD did not answer usefully (timeout, 5xx, 429, garbage): try again later."""

    def __init__(self, message: str, retry_after: float | None = None, reason: str = ""):
        super().__init__(message)
        self.retry_after = retry_after
        # In a few words, for the pages ("no connection", "HTTP 503"); the message has it all.
        self.reason = reason or "no usable answer"


class SimbadQueryError(Exception):
    """SIMBAD refused the query itself: retrying the same query will not help."""


@dataclass(frozen=True)
class SimbadObject:
    main_id: str  # as SIMBAD returns it, padding kept (``HD      1``)
    ra: float | None
    dec: float | None
    otype: str
    sp_type: str
    identifiers: tuple[str, ...]
    object_types: str = ""  # all of SIMBAD's object types, comma-separated (``*,**,IR,V*``)
    v_mag: float | None = None
    j_mag: float | None = None
    h_mag: float | None = None
    k_mag: float | None = None

    def identifier(self, catalogue: str) -> str:
        """``HD 124897`` for catalogue ``HD``, or "" when SIMBAD lists none."""
        for ident in self.identifiers:
            words = ident.split()
            if len(words) == 2 and words[0] == catalogue:
                return f"{catalogue} {words[1]}"
        return ""

    def identifier_starting(self, prefix: str) -> str:
        """The first identifier that starts with ``prefix`` (``2MASS J``, ``Gaia DR3 ``), or
        "": those catalogues' identifiers are not two words."""
        return next((ident for ident in self.identifiers if ident.startswith(prefix)), "")

    @property
    def id1(self) -> str:
        """The JMDC's normalised ID1: HD without a blank, else HIP, else SIMBAD's main id."""
        for catalogue in ("HD", "HIP"):
            found = self.identifier(catalogue)
            if found:
                return found.replace(" ", "")
        return " ".join(self.main_id.split())


@dataclass(frozen=True)
class Resolution:
    """What SIMBAD said of one submitted name."""

    name: str
    query: str  # the normalised form actually sent
    objects: tuple[SimbadObject, ...]

    @property
    def status(self) -> str:
        return {0: "not_found", 1: "resolved"}.get(len(self.objects), "ambiguous")


# -- name normalisation --------------------------------------------------------------------
# Type prefixes SIMBAD's input does not need (``V* FG Ser`` is ``FG Ser``).
PREFIX = re.compile(r"^(?:V\*|\*\*|\*)\s+")


def normalise_name(name: str) -> str:
    """The form of a name to send to SIMBAD; the submitted string is kept elsewhere.

    Blanks collapsed; a Bayer, Flamsteed or variable-star name written as SIMBAD writes it,
    without the type prefix (``KAPPA SER`` -> ``kap Ser``, ``109 Herculis`` -> ``109 Her``,
    ``V* FG Ser`` -> ``FG Ser``), as read by ``lib.designations``, the one reading of star
    names; any other name as typed, less a ``V*``/``*`` prefix. Never splits on commas:
    ``WDSJ05167+4600Aa,Ab`` is one identifier.
    """
    text = unicodedata.normalize("NFC", " ".join(name.split()))
    found = designations.canonical(text)
    if found is not None and found.catalogue in ("*", "V*"):
        return f"{found.number} {found.component}".rstrip()
    # Other catalogues are sent as typed: SIMBAD reads HD360 or BD-214897 itself, and its
    # own spelling of a component differs from the canonical key's (WDS J05167+4600Aa,Ab).
    return PREFIX.sub("", text)


# -- the client ----------------------------------------------------------------------------
class PoliteSession(requests.Session):
    """A requests session that never waits forever (pyvo passes no timeout), names the
    portal, and keeps to a service's etiquette: at most ``rate`` requests per second from this
    process (SIMBAD may blacklist an IP that sends more than ~5-10 per second). The ESO
    archive client uses it too."""

    def __init__(self, timeout: float, user_agent: str, rate: float):
        super().__init__()
        self._timeout = timeout
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._next_slot = 0.0
        self._slot_lock = threading.Lock()
        self.headers["User-Agent"] = user_agent

    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", self._timeout)
        with self._slot_lock:
            now = time.monotonic()
            wait = self._next_slot - now
            self._next_slot = max(now, self._next_slot) + self._interval
        if wait > 0:
            time.sleep(wait)
        return super().request(method, url, **kwargs)


class SimbadClient:
    def __init__(
        self,
        tap_url: str,
        *,
        timeout: float = 30.0,
        user_agent: str = "JMDC-portal",
        batch_size: int = BATCH_SIZE,
        rate: float = 5.0,
    ):
        from astroquery.simbad import SimbadClass
        from pyvo.dal import TAPService

        class _Simbad(SimbadClass):
            @property
            def tap(self):
                if not self._tap:
                    self._tap = TAPService(baseurl=tap_url, session=self._session)
                return self._tap

        self.tap_url = tap_url
        self.batch_size = batch_size
        self._simbad = _Simbad()
        self._simbad._session = PoliteSession(timeout, user_agent, rate)
        self._fields_added = False

    def _prepare(self) -> None:
        if not self._fields_added:
            with _SimbadErrors():
                self._simbad.add_votable_fields(*EXTRA_FIELDS)
            self._fields_added = True

    def resolve(self, names: list[str]) -> dict[str, Resolution]:
        """SIMBAD's answer for every name, one request per batch of ``batch_size`` names."""
        unique = list(dict.fromkeys(names))
        self._prepare()
        answers: dict[str, Resolution] = {}
        for start in range(0, len(unique), self.batch_size):
            batch = unique[start : start + self.batch_size]
            queries = [normalise_name(name) for name in batch]
            with _SimbadErrors(), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # NoResultsWarning and friends: misses are data
                table = self._simbad.query_objects(queries)
            found: dict[int, list[SimbadObject]] = {}
            for row in table:
                number = int(row["object_number_id"])
                obj = _object_from_row(row)
                if obj is not None:
                    found.setdefault(number, []).append(obj)
            for number, (name, query) in enumerate(zip(batch, queries, strict=True), start=1):
                answers[name] = Resolution(name, query, tuple(found.get(number, ())))
        return answers


class _SimbadErrors:
    """Turns pyvo's and requests' failures into the two errors callers act on."""

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is None:
            return False
        from pyvo.dal import DALFormatError, DALQueryError, DALServiceError

        rate_limited = _rate_limit_error()
        if rate_limited and isinstance(exc, rate_limited):
            raise SimbadUnavailable(
                f"SIMBAD asks us to slow down (429): {exc}",
                _retry_after(exc),
                "SIMBAD asked us to slow down (HTTP 429)",
            ) from exc
        if isinstance(exc, DALQueryError):
            raise SimbadQueryError(f"SIMBAD refused the query: {exc}") from exc
        if isinstance(exc, (DALServiceError, DALFormatError, requests.RequestException, OSError)):
            raise SimbadUnavailable(
                f"SIMBAD is unavailable: {exc.__class__.__name__}: {exc}",
                _retry_after(exc),
                _reason(exc),
            ) from exc
        if isinstance(exc, ValueError):  # a body that is not a VOTable at all
            raise SimbadUnavailable(
                f"SIMBAD answered something unreadable: {exc}", reason="an unreadable answer"
            ) from exc
        return False


def _reason(exc: BaseException) -> str:
    """What went wrong, in a few words: pyvo wraps requests' errors (``cause``) and keeps the
    HTTP status (``code``)."""
    causes = [exc, getattr(exc, "cause", None), exc.__cause__, exc.__context__]
    for cause in causes:
        if isinstance(cause, requests.Timeout):
            return "no answer in time"
        if isinstance(cause, requests.ConnectionError):
            return "no connection"
    code = getattr(exc, "code", None)
    if isinstance(code, int):
        return f"HTTP {code}"
    if "Connection failed" in str(exc):
        return "no connection"
    return "no usable answer"


def _rate_limit_error():
    try:
        from pyvo.dal import DALRateLimitError
    except ImportError:  # older pyvo
        return None
    return DALRateLimitError


def _retry_after(exc) -> float | None:
    value = getattr(exc, "retry_after_seconds", None)  # pyvo's DALRateLimitError
    if value is None:
        response = getattr(getattr(exc, "cause", None), "response", None) or getattr(
            exc, "response", None
        )
        value = (
            getattr(response, "headers", {}).get("Retry-After") if response is not None else None
        )
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _object_from_row(row) -> SimbadObject | None:
    main_id = _text(row["main_id"])
    if not main_id:
        return None
    ids = tuple(" ".join(i.split()) for i in _text(row["ids"]).split("|") if i.strip())
    return SimbadObject(
        main_id=main_id,
        ra=_number(row["ra"]),
        dec=_number(row["dec"]),
        otype=_text(row["otype"]),
        sp_type=_text(row["sp_type"]),
        identifiers=ids,
        object_types=_object_types(row),
        **{name: _magnitude(row, column) for name, column in MAGNITUDE_COLUMNS.items()},
    )


def _object_types(row) -> str:
    """SIMBAD's alltypes.otypes (``*|**|IR``) as a comma-separated list."""
    names = row.colnames if hasattr(row, "colnames") else ()
    column = "alltypes.otypes" if "alltypes.otypes" in names else "otypes"
    if column not in names:
        return ""
    return ",".join(code.strip() for code in _text(row[column]).split("|") if code.strip())


def _magnitude(row, column: str) -> float | None:
    names = row.colnames if hasattr(row, "colnames") else ()
    return _number(row[column]) if column in names else None


def _text(value) -> str:
    if value is None or getattr(value, "mask", False) is True or str(value) == "--":
        return ""
    return value.decode() if isinstance(value, bytes) else str(value)


def _number(value) -> float | None:
    text = _text(value)
    try:
        number = float(text)
    except ValueError:
        return None
    return None if number != number else number  # NaN means no value


@cache
def get_client() -> SimbadClient:
    """One client per process, configured from settings."""
    return SimbadClient(
        settings.SIMBAD_TAP_URL,
        timeout=settings.SIMBAD_TIMEOUT,
        user_agent=settings.SIMBAD_USER_AGENT,
        rate=settings.SIMBAD_MAX_REQUESTS_PER_SECOND,
    )
