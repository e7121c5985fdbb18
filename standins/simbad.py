"""A local stand-in for SIMBAD's TAP service, for tests and benchmarks (127.0.0.1 only).

It answers the requests astroquery 0.4.11 really sends (see
../shared/reference/simbad-protocol.md): ``GET capabilities``, the multipart batch upload of
``query_objects``, the urlencoded single query of ``query_object``, and the three metadata
queries of ``add_votable_fields``. Anything else gets HTTP 400 with a ``QUERY_STATUS=ERROR``
VOTable, so an unsupported request fails loudly.

Where ../shared/simbad holds a recorded real answer (``M1``, ``TEST``, the columns of ``basic``,
the output options) it is replayed byte for byte. Every other object it knows comes from the
table given to it: THOSE VALUES ARE TEST DATA, invented for the tests, not SIMBAD's.

Faults are injected per request (``slow``, ``429``, ``503``, ``garbage``, ``drop``) and every
request is logged, so tests can count requests per batch.
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import io
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs

from .server import StandIn

TAP_PATH = "/simbad/sim-tap"


@dataclass(frozen=True)
class StandInObject:
    """One object the stand-in knows. Invented for tests unless said otherwise."""

    main_id: str
    ra: float | None
    dec: float | None
    otype: str = "*"
    sp_type: str = ""
    identifiers: tuple[str, ...] = ()
    # All its object types (SIMBAD's alltypes; the main one alone when none are given) and
    # its V, J, H, K magnitudes (SIMBAD's allfluxes; None: SIMBAD has none).
    object_types: tuple[str, ...] = ()
    v_mag: float | None = None
    j_mag: float | None = None
    h_mag: float | None = None
    k_mag: float | None = None


def canonical(name: str) -> str:
    """How SIMBAD compares identifiers: case-insensitive, blanks collapsed, and the blank
    between a catalogue acronym and its number optional (HD206778 = HD 206778), and the type
    prefixes of main identifiers optional (``alf Boo`` finds ``* alf Boo``)."""
    text = " ".join(name.split()).lower()
    text = re.sub(r"^(?:\*\*|\*|v\*|name) ", "", text)  # type prefixes are optional in input
    return re.sub(r"^([a-z]+) (?=[+-]?\d)", r"\1", text)


@dataclass
class LoggedRequest:
    method: str
    path: str
    kind: str
    names: int = 0
    user_agent: str = ""
    at: float = field(default_factory=time.monotonic)  # when the request arrived


# Output column types of the basic table and the upload, as SIMBAD declares them.
COLUMN_TYPES = {
    "main_id": ('datatype="char" arraysize="*"', str),
    "ra": ('datatype="double" unit="deg"', float),
    "dec": ('datatype="double" unit="deg"', float),
    "coo_err_maj": ('datatype="float" unit="mas"', float),
    "coo_err_min": ('datatype="float" unit="mas"', float),
    "coo_err_angle": ('datatype="short" unit="deg"', int),
    "coo_wavelength": ('datatype="char" arraysize="1"', str),
    "coo_bibcode": ('datatype="char" arraysize="*"', str),
    "otype": ('datatype="char" arraysize="*"', str),
    "sp_type": ('datatype="char" arraysize="*"', str),
    "ids": ('datatype="unicodeChar" arraysize="*"', str),
    "alltypes.otypes": ('datatype="char" arraysize="*"', str),
    # allfluxes' magnitudes are REAL columns: VOTable float, empty when SIMBAD has none.
    "V": ('datatype="float" unit="mag"', float),
    "J": ('datatype="float" unit="mag"', float),
    "H": ('datatype="float" unit="mag"', float),
    "K": ('datatype="float" unit="mag"', float),
    "matched_id": ('datatype="char" arraysize="*"', str),
    "user_specified_id": ('datatype="unicodeChar" arraysize="*"', str),
    "object_number_id": ('datatype="long"', int),
}


# The columns of the tables astroquery asks SIMBAD's TAP_SCHEMA about and the recorded answers
# do not hold, written here from SIMBAD's documented schema: (name, type, description, unit, ucd).
DOCUMENTED_COLUMNS = {
    "ids": [
        ("oidref", "BIGINT", "Object internal identifier", "", "meta.record;meta.id"),
        ("ids", "VARCHAR", "List of all identifiers concatenated with pipe", "", "meta.id"),
    ],
    "alltypes": [
        ("oidref", "BIGINT", "Object internal identifier", "", "meta.record;meta.id"),
        ("otypes", "VARCHAR", "List of all object types concatenated with pipe", "", "src.class"),
    ],
}


class SimbadStandIn(StandIn):
    PATH = TAP_PATH

    def __init__(
        self,
        objects: list[StandInObject] = (),
        *,
        shared_dir: Path | None = None,
        latency: float = 0.0,
    ):
        self.latency = latency
        self.shared_dir = shared_dir
        self.requests: list[LoggedRequest] = []
        self.faults: deque[tuple] = deque()
        self._index: dict[str, list[StandInObject]] = {}
        for obj in objects:
            self.add(obj)
        self._lock = threading.Lock()
        self._local = threading.local()

    # -- the table --------------------------------------------------------------------
    def add(self, obj: StandInObject) -> None:
        for name in {obj.main_id, *obj.identifiers}:
            self._index.setdefault(canonical(name), []).append(obj)

    def lookup(self, name: str) -> list[StandInObject]:
        return self._index.get(canonical(name), [])

    def inject(self, *faults: tuple) -> None:
        """Queue faults for the next query requests: ("slow", s), ("429", retry_after),
        ("503",), ("error",) (a 400 error VOTable), ("garbage",), ("drop",)."""
        self.faults.extend(faults)

    def count(self, kind: str) -> int:
        return sum(1 for r in self.requests if r.kind == kind)

    # -- HTTP -------------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        self._local.user_agent = handler.headers.get("User-Agent", "")  # one thread per request
        self._local.arrived = time.monotonic()
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        path = handler.path.split("?")[0]
        if method == "GET" and path == f"{TAP_PATH}/capabilities":
            self._log(method, path, "capabilities")
            return self._send(handler, 200, self._capabilities(handler), "text/xml")
        if method == "POST" and path == f"{TAP_PATH}/sync":
            return self._sync(handler, method, path, body)
        self._log(method, path, "error")
        return self._send(handler, 400, error_votable(f"unsupported request {method} {path}"))

    def _sync(self, handler, method, path, body) -> None:
        content_type = handler.headers.get("Content-Type", "")
        if content_type.startswith("multipart/form-data"):
            params, files = parse_multipart(content_type, body)
        else:
            params, files = {k: v[0] for k, v in parse_qs(body.decode()).items()}, {}
        query = params.get("QUERY", "")
        with self._lock:
            fault = self.faults.popleft() if self.faults else None
        if self.latency:
            time.sleep(self.latency)
        if fault:
            kind = fault[0]
            self._log(method, path, f"fault:{kind}")
            if kind == "slow":
                time.sleep(fault[1])
            elif kind == "429":
                return self._send(
                    handler, 429, b"Too many requests", "text/plain", {"Retry-After": str(fault[1])}
                )
            elif kind == "503":
                return self._send(handler, 503, b"Service unavailable", "text/plain")
            elif kind == "error":
                return self._send(
                    handler, 400, error_votable("Incorrect ADQL query (injected fault)")
                )
            elif kind == "garbage":
                return self._send(
                    handler, 200, b"<html><body>Maintenance \x00\xff</body></html>", "text/xml"
                )
            elif kind == "drop":
                handler.close_connection = True
                handler.wfile.flush()
                handler.connection.shutdown(2)
                return None
        try:
            answer, kind, names = self._answer(query, files)
        except StandInError as exc:
            self._log(method, path, "error")
            return self._send(handler, 400, error_votable(str(exc)))
        self._log(method, path, kind, names)
        return self._send(handler, 200, answer)

    def _answer(self, query: str, files: dict[str, bytes]) -> tuple[bytes, str, int]:
        flat = " ".join(query.split())
        if "SELECT from_table, from_column" in flat:
            return self._recorded("simbad_linked_to_basic.xml"), "metadata", 0
        if "TAP_SCHEMA.keys" in flat:
            return self._options_table("table"), "metadata", 0
        if "TAP_SCHEMA.columns" in flat and "= 'basic'" in flat:
            return self._recorded("simbad_basic_columns.xml"), "metadata", 0
        for table, columns in DOCUMENTED_COLUMNS.items():
            if "TAP_SCHEMA.columns" in flat and f"= '{table}'" in flat:
                rows = [[table, *column] for column in columns]
                header = ["table_name", "column_name", "datatype", "description", "unit", "ucd"]
                return votable(header, rows, all_char=True), "metadata", 0
        if re.search(r"FROM filter\b", flat):
            return self._options_table("filter name"), "metadata", 0
        columns = select_list(flat)
        if "TAP_UPLOAD.script_infos" in flat:
            if "script_infos" not in files:
                raise StandInError(
                    "the query names TAP_UPLOAD.script_infos but no table was uploaded"
                )
            uploaded = read_upload(files["script_infos"])
            return self._batch(columns, uploaded), "batch", len(uploaded)
        single = re.search(r"WHERE id = '((?:[^']|'')*)'", flat)
        if single:
            name = single.group(1).replace("''", "'")
            recorded = {"m1": "simbad_M1.vot", "test": "simbad_TEST.vot"}.get(canonical(name))
            if recorded and self.shared_dir and (self.shared_dir / recorded).is_file():
                return self._recorded(recorded), "single", 1
            rows = [self._row(columns, obj, matched_id=name) for obj in self.lookup(name)]
            return votable(columns, rows), "single", 1
        raise StandInError(f"the stand-in does not answer this query: {flat[:200]}")

    def _batch(self, columns: list[str], uploaded: list[tuple[str, int]]) -> bytes:
        rows = []
        for name, number in uploaded:
            matches = self.lookup(name) or [None]
            for obj in matches:  # LEFT JOIN: one row per match, an empty one for a miss
                rows.append(
                    self._row(columns, obj, user_specified_id=name, object_number_id=number)
                )
        return votable(columns, rows)

    @staticmethod
    def _row(columns, obj: StandInObject | None, **extra) -> list:
        values = {}
        if obj is not None:
            values = {
                "main_id": obj.main_id, "ra": obj.ra, "dec": obj.dec, "otype": obj.otype,
                "sp_type": obj.sp_type, "ids": "|".join(obj.identifiers),
                "alltypes.otypes": "|".join(obj.object_types or (obj.otype,)),
                "V": obj.v_mag, "J": obj.j_mag, "H": obj.h_mag, "K": obj.k_mag,
            }  # fmt: skip
        values.update(extra)
        return [values.get(column) for column in columns]

    def _capabilities(self, handler) -> bytes:
        return CAPABILITIES.replace("{URL}", self.url).encode()

    def _recorded(self, name: str) -> bytes:
        if not self.shared_dir or not (self.shared_dir / name).is_file():
            raise StandInError(f"the recorded answer {name} is not available (../shared/simbad)")
        return (self.shared_dir / name).read_bytes()

    def _options_table(self, kind: str) -> bytes:
        """Tables linked to basic, or filter names, from the recorded output options."""
        from astropy.io.votable import parse_single_table

        options = parse_single_table(
            io.BytesIO(self._recorded("simbad_output_options.xml"))
        ).to_table()
        rows = [[str(r["name"]), str(r["description"])] for r in options if r["type"] == kind]
        return votable(["name", "description"], rows, all_char=True)

    def _log(self, method, path, kind, names=0) -> None:
        with self._lock:
            self.requests.append(
                LoggedRequest(
                    method,
                    path,
                    kind,
                    names,
                    getattr(self._local, "user_agent", ""),
                    getattr(self._local, "arrived", time.monotonic()),
                )
            )

    @staticmethod
    def _send(
        handler, status, body: bytes, content_type="application/x-votable+xml", headers=None
    ) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(body)


class StandInError(Exception):
    pass


def parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, bytes]]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    params, files = {}, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if part.get_filename():
            files[name] = payload
        else:
            params[name] = payload.decode()
    return params, files


def read_upload(data: bytes) -> list[tuple[str, int]]:
    from astropy.io.votable import parse_single_table

    table = parse_single_table(io.BytesIO(data)).to_table()
    return [(str(row["user_specified_id"]), int(row["object_number_id"])) for row in table]


def select_list(query: str) -> list[str]:
    """Output column names of ``SELECT a."x", b."y" AS "z", T.* FROM ...`` (order kept)."""
    match = re.match(r"\s*SELECT\s+(?:TOP \d+\s+)?(.*?)\s+FROM\s", query, re.I)
    if not match:
        raise StandInError("not a SELECT query")
    columns = []
    for item in match.group(1).split(","):
        item = item.strip()
        if item.endswith("script_infos.*"):
            columns += ["user_specified_id", "object_number_id"]
            continue
        alias = re.search(r'AS "?([\w.]+)"?$', item)  # alltypes' is "alltypes.otypes"
        name = alias.group(1) if alias else item.split(".")[-1].strip('"')
        if name not in COLUMN_TYPES:
            raise StandInError(f"the stand-in does not know the column {name!r}")
        columns.append(name)
    return columns


def votable(columns: list[str], rows: list[list], all_char: bool = False) -> bytes:
    char = 'datatype="char" arraysize="*"'
    fields = "".join(
        f'<FIELD name="{c}" ID="{c}" {char if all_char else COLUMN_TYPES[c][0]}/>' for c in columns
    )
    body = "".join(
        "<TR>" + "".join(f"<TD>{'' if v is None else escape(str(v))}</TD>" for v in row) + "</TR>"
        for row in rows
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">'
        '<RESOURCE type="results"><INFO name="QUERY_STATUS" value="OK"/>'
        f"<TABLE>{fields}<DATA><TABLEDATA>{body}</TABLEDATA></DATA></TABLE>"
        '<INFO name="QUERY_STATUS" value="OK"/></RESOURCE></VOTABLE>'
    ).encode()


def error_votable(message: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">'
        f'<RESOURCE type="results"><INFO name="QUERY_STATUS" value="ERROR">{escape(message)}</INFO>'
        "</RESOURCE></VOTABLE>"
    ).encode()


CAPABILITIES = """<?xml version="1.0" encoding="UTF-8"?>
<vosi:capabilities xmlns:vosi="http://www.ivoa.net/xml/VOSICapabilities/v1.0"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:vod="http://www.ivoa.net/xml/VODataService/v1.1"
  xmlns:tr="http://www.ivoa.net/xml/TAPRegExt/v1.0">
 <capability standardID="ivo://ivoa.net/std/TAP" xsi:type="tr:TableAccess">
  <interface role="std" xsi:type="vod:ParamHTTP"><accessURL use="base">{URL}</accessURL></interface>
  <language><name>ADQL</name><version ivo-id="ivo://ivoa.net/std/ADQL#v2.0">2.0</version></language>
  <outputFormat><mime>application/x-votable+xml</mime><alias>votable</alias></outputFormat>
  <uploadMethod ivo-id="ivo://ivoa.net/std/TAPRegExt#upload-inline"/>
  <executionDuration><default>600</default><hard>600</hard></executionDuration>
  <outputLimit><default unit="row">100000</default><hard unit="row">2000000</hard></outputLimit>
  <uploadLimit><default unit="row">200000</default><hard unit="row">200000</hard></uploadLimit>
 </capability>
</vosi:capabilities>
"""


def invented_object(name: str) -> StandInObject:
    """A deterministic TEST object for a name: position from a hash, spectral type 'TEST'."""
    digest = hashlib.sha256(canonical(name).encode()).digest()
    ra = int.from_bytes(digest[:4], "big") / 2**32 * 360
    dec = int.from_bytes(digest[4:8], "big") / 2**32 * 180 - 90
    return StandInObject(
        main_id=f"TEST {name.strip()}",
        ra=round(ra, 6),
        dec=round(dec, 6),
        otype="*",
        sp_type="TEST",
        identifiers=(name.strip(),),
    )
