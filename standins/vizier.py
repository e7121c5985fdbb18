"""A local stand-in for VizieR's votable service, for tests (127.0.0.1 only).

It answers what astroquery 0.4.11's ``Vizier.query_region`` really sends: ``POST
/viz-bin/votable`` with a body in VizieR's script form, one ``-key=value`` per line and
lists between ``-c=<<====AstroqueryList`` and ``====AstroqueryList`` (one position per line,
``ra+dec`` in degrees), ``-c.rs`` the radius in arcsec, ``-out`` and ``-out.add`` the columns,
``-source`` the table. It knows one table, II/346/jsdc_v2 (the JSDC), and answers the rows
within the radius of each position, numbered by ``_q`` and ``_r`` as VizieR numbers them.
Anything else gets HTTP 400, so an unsupported request fails loudly.

ITS ROWS ARE NOT VIZIER'S: each says where it comes from (``origin``): invented for a test, or
copied from JMMC's 2020 cross-match (../shared/jmdc/crossmatch, SearchCal's LDD), never
presented as the JSDC's answer.

Faults are injected per request (``("503",)``, ``("garbage",)``, ``("drop",)``) and every
request is logged with the number of positions it asked for.
"""

from __future__ import annotations

import math
import re
import threading
from collections import deque
from dataclasses import dataclass
from html import escape
from http.server import BaseHTTPRequestHandler

from .server import StandIn

VOTABLE_PATH = "/viz-bin/votable"
TABLE = "II/346/jsdc_v2"
INVENTED = "invented for a test"
FROM_CROSSMATCH = "copied from JMMC's 2020 cross-match (SearchCal LDD), not the JSDC"


@dataclass(frozen=True)
class JsdcRow:
    """One row of the stand-in's II/346/jsdc_v2: a name, a J2000 position, LDD and e_LDD (mas,
    None for the catalogue's -1)."""

    name: str
    ra: float
    dec: float
    ldd: float | None
    e_ldd: float | None
    origin: str = INVENTED
    cal_flag: int = 0


@dataclass
class LoggedRequest:
    method: str
    path: str
    kind: str
    positions: int = 0
    user_agent: str = ""


# The columns the stand-in writes, typed as VizieR declares them.
FIELDS = {
    "_q": 'datatype="int"',
    "_r": 'datatype="double" unit="arcsec"',
    "Name": 'datatype="char" arraysize="33*"',
    "LDD": 'datatype="double" unit="mas"',
    "e_LDD": 'datatype="double" unit="mas"',
    "CalFlag": 'datatype="short"',
    "_RAJ2000": 'datatype="double" unit="deg"',
    "_DEJ2000": 'datatype="double" unit="deg"',
}


class VizierStandIn(StandIn):
    PATH = VOTABLE_PATH

    def __init__(self, rows: list[JsdcRow] = ()):
        self.rows = list(rows)
        self.requests: list[LoggedRequest] = []
        self.faults: deque[tuple] = deque()
        self._lock = threading.Lock()

    def add(self, row: JsdcRow) -> None:
        self.rows.append(row)

    def inject(self, *faults: tuple) -> None:
        """Queue faults for the next requests: ("503",), ("garbage",), ("drop",)."""
        self.faults.extend(faults)

    def count(self, kind: str = "query") -> int:
        return sum(1 for r in self.requests if r.kind == kind)

    # -- HTTP -------------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        path = handler.path.split("?")[0]
        agent = handler.headers.get("User-Agent", "")
        if method != "POST" or path != VOTABLE_PATH:
            self._log(method, path, "error", 0, agent)
            return _send(handler, 400, error_votable(f"unsupported request {method} {path}"))
        with self._lock:
            fault = self.faults.popleft() if self.faults else None
        if fault:
            self._log(method, path, f"fault:{fault[0]}", 0, agent)
            if fault[0] == "503":
                return _send(handler, 503, b"Service unavailable", "text/plain")
            if fault[0] == "garbage":
                return _send(handler, 200, b"<html><body>Maintenance</body></html>", "text/html")
            if fault[0] == "drop":
                handler.close_connection = True
                handler.wfile.flush()
                handler.connection.shutdown(2)
                return None
        try:
            script = parse_script(body)
            answer, positions = self._answer(script)
        except StandInError as exc:
            self._log(method, path, "error", 0, agent)
            return _send(handler, 400, error_votable(str(exc)))
        self._log(method, path, "query", positions, agent)
        return _send(handler, 200, answer)

    def _answer(self, script: dict[str, str | list[str]]) -> tuple[bytes, int]:
        if script.get("-source") != TABLE:
            raise StandInError(f"the stand-in knows only {TABLE}, not {script.get('-source')!r}")
        centres = script.get("-c")
        if isinstance(centres, str):
            centres = [centres]
        if not centres:
            raise StandInError("no position (-c) in the query")
        radius = _radius_arcsec(script)
        columns = [c for c in str(script.get("-out", "")).split(",") if c]
        columns += [c for c in str(script.get("-out.add", "")).split(",") if c]
        unknown = [c for c in columns if c not in FIELDS]
        if unknown:
            raise StandInError(f"the stand-in does not know the columns {unknown}")
        rows = []
        for number, centre in enumerate(centres, start=1):
            ra, dec = _position(centre)
            for row in self.rows:
                distance = _separation_arcsec(ra, dec, row.ra, row.dec)
                if distance <= radius:
                    values = {"_q": number, "_r": round(distance, 3), "Name": row.name,
                              "LDD": row.ldd, "e_LDD": row.e_ldd, "CalFlag": row.cal_flag,
                              "_RAJ2000": row.ra, "_DEJ2000": row.dec}  # fmt: skip
                    rows.append([values[c] for c in columns])
        return votable(columns, rows), len(centres)

    def _log(self, method, path, kind, positions, agent) -> None:
        with self._lock:
            self.requests.append(LoggedRequest(method, path, kind, positions, agent))


class StandInError(Exception):
    pass


def parse_script(body: str) -> dict[str, str | list[str]]:
    """VizieR's script form: ``key=value`` lines, a bare ``key``, and lists written as
    ``key=<<====Name`` ... ``====Name``."""
    script: dict[str, str | list[str]] = {}
    lines = iter(body.splitlines())
    for line in lines:
        key, _, value = line.partition("=")
        marker = re.fullmatch(r"<<(====\w+)", value)
        if marker:
            items = []
            for item in lines:
                if item == marker.group(1):
                    break
                items.append(item)
            else:
                raise StandInError(f"the list {key} is not closed by {marker.group(1)}")
            script[key] = items
        else:
            script[key] = value
    return script


def _radius_arcsec(script) -> float:
    for suffix, factor in (("-c.rs", 1.0), ("-c.rm", 60.0), ("-c.rd", 3600.0)):
        if suffix in script:
            return float(script[suffix]) * factor
    raise StandInError("no radius (-c.rs, -c.rm or -c.rd) in the query")


def _position(centre: str) -> tuple[float, float]:
    match = re.fullmatch(r"\s*([0-9.]+)\s*([+-][0-9.]+)\s*", centre)
    if not match:
        raise StandInError(f"the stand-in reads positions in decimal degrees, not {centre!r}")
    return float(match.group(1)), float(match.group(2))


def _separation_arcsec(ra1, dec1, ra2, dec2) -> float:
    ra1, dec1, ra2, dec2 = map(math.radians, (ra1, dec1, ra2, dec2))
    a = (
        math.sin((dec2 - dec1) / 2) ** 2
        + math.cos(dec1) * math.cos(dec2) * math.sin((ra2 - ra1) / 2) ** 2
    )
    return math.degrees(2 * math.asin(min(1.0, math.sqrt(a)))) * 3600


def votable(columns: list[str], rows: list[list]) -> bytes:
    fields = "".join(f'<FIELD name="{c}" ID="{c}" {FIELDS[c]}/>' for c in columns)
    body = "".join(
        "<TR>" + "".join(f"<TD>{'' if v is None else escape(str(v))}</TD>" for v in row) + "</TR>"
        for row in rows
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">'
        '<INFO name="stand-in" value="A local stand-in of VizieR: its rows are not the JSDC\'s"/>'
        f'<RESOURCE ID="yCat_2346" name="II/346"><TABLE ID="II_346_jsdc_v2" name="{TABLE}">'
        f"{fields}<DATA><TABLEDATA>{body}</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>"
    ).encode()


def error_votable(message: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">'
        f'<INFO name="Error" value="{escape(message)}"/><RESOURCE/></VOTABLE>'
    ).encode()


def _send(handler, status, body: bytes, content_type="application/x-votable+xml") -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
