"""A local stand-in for the two ESO archive services the harvest reads (127.0.0.1 only).

- TAP (``/tap_obs``): ``GET capabilities`` and ``POST sync`` with ``REQUEST=doQuery``,
  ``LANG=ADQL`` as pyvo sends them. It knows one table, ``dbo.raw``, with the columns of the
  real ESO answer ``../shared/obsportal/astroquery/query_main_sgra.csv`` (a query naming any
  other column is refused, as ESO would), and answers the two query shapes the harvest sends:
  ``SELECT COUNT(*) ...`` and ``SELECT TOP n ... ORDER BY last_mod_date, dp_id``, evaluating
  their WHERE clause (instrument IN, dp_cat IN, dp_tech LIKE 'x%', the modification keyset).
  Any other query gets HTTP 400 with a ``QUERY_STATUS=ERROR`` VOTable.
- The header service (``/hdr?DpId=``): an HTML page with the primary header in ``<pre>``.

Its table holds the real SINFONI rows of that CSV (which the harvest must not take: they are
not interferometric) and the files a test adds. A file added from a header of
``../shared/obsportal/headers`` is served byte for byte; its ``last_mod_date`` and the rest of
its catalogue row are INVENTED (the real ones are unknown). ``copy_of_header`` makes INVENTED
files: a real header under a new DP.ID and start time, for paging and progress tests.

Faults are injected per request (``("503",)``, ``("drop",)``, ``("garbage",)``), optionally
for one kind of request only (``"tap"`` or ``"header"``); every request is logged.
"""

from __future__ import annotations

import csv
import re
import threading
from collections import deque
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .server import StandIn
from .simbad import CAPABILITIES, error_votable

TAP_PATH = "/tap_obs"
HEADER_PATH = "/hdr"


@dataclass
class ArchiveRow:
    """A row of dbo.raw (the columns the harvest reads), and the header it stands for."""

    dp_id: str
    last_mod_date: str  # ISO with Z, as ESO writes it
    instrument: str
    dp_cat: str
    dp_tech: str
    release_date: str = ""
    prog_title: str = ""
    pi_coi: str = ""
    header: str | None = None  # None: the header service has none (404)


def header_row(header: str, last_mod_date: str, **catalogue) -> ArchiveRow:
    """The dbo.raw row of a header: DP.ID, instrument and DPR as the header says; the
    modification date (and any other catalogue value given) INVENTED by the test."""
    cards = {}
    for line in header.splitlines():
        match = re.match(r"^(?:HIERARCH ESO )?([A-Z0-9 _-]+?)\s*=\s*'([^']*)'", line)
        if match:
            cards.setdefault(match.group(1).strip(), match.group(2).strip())
    raw_name = cards.get("ARCFILE") or cards.get("PRO REC1 RAW1 NAME", "")
    values = {
        "dp_id": raw_name.removesuffix(".fits"),
        "last_mod_date": last_mod_date,
        "instrument": cards.get("INSTRUME", ""),
        "dp_cat": cards.get("DPR CATG", ""),
        "dp_tech": cards.get("DPR TECH", ""),
        "header": header,
    }
    values.update(catalogue)
    return ArchiveRow(**values)


def copy_of_header(header: str, dp_id: str, mjd: float) -> str:
    """An INVENTED header: a real one under another DP.ID and start time."""
    text = re.sub(r"^ARCFILE = '[^']*'", f"ARCFILE = '{dp_id}.fits'", header, flags=re.M)
    return re.sub(r"^MJD-OBS =\s*[0-9.]+", f"MJD-OBS = {mjd:.8f}", text, flags=re.M)


class EsoArchiveStandIn(StandIn):
    PATH = TAP_PATH  # url; header_url is the other service

    def __init__(self, *, shared_dir: Path):
        self.shared_dir = shared_dir
        with (shared_dir / "astroquery" / "query_main_sgra.csv").open(newline="") as handle:
            reader = csv.DictReader(handle)
            self.columns = [c for c in reader.fieldnames if c]
            self.rows = [
                ArchiveRow(
                    dp_id=r["dp_id"],
                    last_mod_date=r["last_mod_date"],
                    instrument=r["instrument"],
                    dp_cat=r["dp_cat"],
                    dp_tech=r["dp_tech"],
                    release_date=r["release_date"],
                    prog_title=r["prog_title"],
                    pi_coi=r["pi_coi"],
                )
                for r in reader
            ]
        self.requests: list[tuple[str, str]] = []  # (kind, detail)
        self.faults: deque[tuple] = deque()
        self._lock = threading.Lock()

    def add(self, *rows: ArchiveRow) -> None:
        with self._lock:
            self.rows.extend(rows)

    def inject(self, *faults: tuple) -> None:
        """``("503",)``, ``("drop",)``, ``("garbage",)``, or ``("header", "503")`` to hit
        only a kind of request (``tap`` or ``header``)."""
        self.faults.extend(faults)

    def count(self, kind: str) -> int:
        return sum(1 for k, _ in self.requests if k == kind)

    @property
    def tap_url(self) -> str:
        return self.base + TAP_PATH

    @property
    def header_url(self) -> str:
        return self.base + HEADER_PATH

    # -- HTTP -------------------------------------------------------------------------
    def _handle(self, handler, method: str) -> None:
        url = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        kind = "header" if url.path == HEADER_PATH else "tap"
        if url.path == f"{TAP_PATH}/capabilities":
            self._log("capabilities", "")
            return _send(handler, 200, CAPABILITIES.replace("{URL}", self.tap_url).encode())
        fault = self._fault(kind)
        if fault == "503":
            self._log(f"fault:{kind}", "503")
            return _send(handler, 503, b"Service temporarily unavailable", "text/plain")
        if fault == "garbage":
            self._log(f"fault:{kind}", "garbage")
            return _send(handler, 200, b"<html><body>Maintenance</body></html>", "text/html")
        if fault == "drop":
            self._log(f"fault:{kind}", "drop")
            handler.close_connection = True
            handler.connection.shutdown(2)
            return None
        if method == "GET" and url.path == HEADER_PATH:
            return self._header(handler, parse_qs(url.query).get("DpId", [""])[0])
        if method == "POST" and url.path == f"{TAP_PATH}/sync":
            params = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            return self._sync(handler, params)
        self._log("error", f"{method} {url.path}")
        return _send(handler, 400, error_votable(f"unsupported request {method} {url.path}"))

    def _fault(self, kind: str) -> str | None:
        with self._lock:
            if not self.faults:
                return None
            fault = self.faults[0]
            if len(fault) == 2 and fault[0] != kind:
                return None
            self.faults.popleft()
            return fault[-1]

    def _header(self, handler, dp_id: str) -> None:
        row = next((r for r in self.rows if r.dp_id == dp_id and r.header is not None), None)
        self._log("header", dp_id)
        if row is None:
            return _send(handler, 404, b"<html><body>No such file</body></html>", "text/html")
        page = f"<html><head><title>{escape(dp_id)}</title></head><body><pre>{escape(row.header)}</pre></body></html>"
        return _send(handler, 200, page.encode("ascii", "replace"), "text/html")

    def _sync(self, handler, params: dict[str, str]) -> None:
        if params.get("REQUEST") != "doQuery" or params.get("LANG") != "ADQL":
            self._log("error", "not a doQuery ADQL request")
            return _send(handler, 400, error_votable("REQUEST=doQuery and LANG=ADQL required"))
        query = " ".join(params.get("QUERY", "").split())
        try:
            body, kind = self._answer(query)
        except ValueError as exc:
            self._log("error", query[:200])
            return _send(handler, 400, error_votable(str(exc)))
        self._log(kind, query)
        return _send(handler, 200, body)

    def _answer(self, query: str) -> tuple[bytes, str]:
        match = re.fullmatch(
            r"SELECT (?:(COUNT\(\*\) AS n)|TOP (\d+) (.+?)) FROM dbo\.raw WHERE (.+?)"
            r"(?: ORDER BY last_mod_date, dp_id)?",
            query,
        )
        if not match:
            raise ValueError(f"the stand-in does not answer this query: {query[:200]}")
        count, top, columns, where = match.groups()
        with self._lock:
            rows = sorted(
                (r for r in self.rows if _matches(r, where)),
                key=lambda r: (_instant(r.last_mod_date), r.dp_id),
            )
        if count:
            return _votable([("n", 'datatype="long"')], [[len(rows)]]), "tap-count"
        names = [c.strip() for c in columns.split(",")]
        for name in names:
            if name not in self.columns:
                raise ValueError(f"Column {name!r} does not exist in dbo.raw")
        fields = [(n, _FIELD_TYPES.get(n, 'datatype="char" arraysize="*"')) for n in names]
        values = [[getattr(r, n, "") for n in names] for r in rows[: int(top)]]
        return _votable(fields, values), "tap-page"

    def _log(self, kind: str, detail: str) -> None:
        with self._lock:
            self.requests.append((kind, detail))


_FIELD_TYPES = {
    "last_mod_date": 'datatype="char" arraysize="*" xtype="timestamp"',
    "release_date": 'datatype="char" arraysize="*" xtype="timestamp"',
}


def _instant(text: str) -> str:
    """A timestamp in a form that sorts and compares as text (no Z, milliseconds)."""
    text = text.rstrip("Z")
    if "." not in text:
        text += ".000"
    return text.ljust(23, "0")


def _matches(row: ArchiveRow, where: str) -> bool:
    """The harvest's WHERE: a conjunction of the clauses below, nothing else."""
    clauses = re.split(r" AND (?![^(]*\))", where)
    for clause in clauses:
        if m := re.fullmatch(r"(\w+) IN \(((?:'[^']*'(?:, )?)+)\)", clause):
            if getattr(row, m.group(1)) not in re.findall(r"'([^']*)'", m.group(2)):
                return False
        elif m := re.fullmatch(r"(\w+) LIKE '([^'%]*)%'", clause):
            if not getattr(row, m.group(1)).startswith(m.group(2)):
                return False
        elif m := re.fullmatch(
            r"\(last_mod_date > '([^']*)' OR \(last_mod_date = '([^']*)' AND dp_id > '([^']*)'\)\)",
            clause,
        ):
            since, dp_id = _instant(m.group(1)), m.group(3)
            mine = _instant(row.last_mod_date)
            if not (mine > since or (mine == since and row.dp_id > dp_id)):
                return False
        else:
            raise ValueError(f"the stand-in does not understand the condition {clause!r}")
    return True


def _votable(fields: list[tuple[str, str]], rows: list[list]) -> bytes:
    head = "".join(f'<FIELD name="{name}" {kind}/>' for name, kind in fields)
    body = "".join(
        "<TR>"
        + "".join(f"<TD>{escape(str(v))}</TD>" if v != "" else "<TD/>" for v in row)
        + "</TR>"
        for row in rows
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">'
        '<RESOURCE type="results"><INFO name="QUERY_STATUS" value="OK"/>'
        f"<TABLE>{head}<DATA><TABLEDATA>{body}</TABLEDATA></DATA></TABLE>"
        "</RESOURCE></VOTABLE>"
    ).encode()


def _send(handler, status: int, body: bytes, content_type="application/x-votable+xml") -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
