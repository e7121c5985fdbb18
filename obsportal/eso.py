"""The ESO archive as the harvest reads it.

Two services, both plain HTTP (production differs from the tests only by the two URLs):

- ESO's TAP service (``ESO_TAP_URL``, table ``dbo.raw``), through pyvo, the client astroquery's
  ESO module itself moved to: which raw VLTI files changed since a date, with what the
  headers lack (programme title, PI/CoI, release date). Astroquery 0.4.11's ``query_instrument``
  still drives the retired WDB web forms, so it is not used.
- The header service (``ESO_HEADER_URL?DpId=``), an HTML page whose ``<pre>`` holds the primary
  header, one 80-character card per line: the request astroquery's ``get_headers`` sends.
  We read the cards with our own header reader rather than take ``get_headers``' table: its
  parser cuts string values at the first ``/`` (``'SCI_HD_1/2'``), fails on an empty value, and
  cannot be pointed at another host than archive.eso.org.

Requests are polite (one at a time, at most ``ESO_MAX_REQUESTS_PER_SECOND``, an identifying
User-Agent). Failures raise ``ArchiveUnavailable`` with what went wrong, for the harvest to stop
cleanly and resume later.
"""

from __future__ import annotations

import datetime
import gzip
import html
import re
from dataclasses import dataclass
from pathlib import Path

import requests
from django.conf import settings

from jmdc.simbad import PoliteSession

INSTRUMENTS = ("AMBER", "GRAVITY", "MATISSE", "MIDI", "PIONIER")
# Only interferometric science and calibrator files: acquisitions, darks, flats and the
# instruments' imaging templates stay in the archive.
WHERE = (
    "instrument IN ({instruments}) AND dp_cat IN ('SCIENCE', 'CALIB') "
    "AND dp_tech LIKE 'INTERFEROMETRY%'"
)
COLUMNS = "dp_id, last_mod_date, release_date, prog_title, pi_coi"
PRE = re.compile(r"<pre[^>]*>(.*?)</pre>", re.S | re.I)


class ArchiveUnavailable(Exception):
    """The archive did not answer, or answered something that is not what was asked."""


@dataclass(frozen=True)
class Mark:
    """A position in the archive's modification order: (last_mod_date, dp_id)."""

    modified: str  # ISO, as the archive writes it: 2013-08-27T04:02:35.663Z
    dp_id: str = ""


@dataclass(frozen=True)
class ArchiveFile:
    dp_id: str
    modified: str
    release_date: datetime.datetime | None
    program_title: str
    pi_coi: str

    @property
    def mark(self) -> Mark:
        return Mark(self.modified, self.dp_id)


def adql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _where(after: Mark) -> str:
    instruments = ", ".join(adql_text(i) for i in INSTRUMENTS)
    since = adql_text(after.modified.rstrip("Z"))
    return (
        WHERE.format(instruments=instruments)
        + f" AND (last_mod_date > {since} OR (last_mod_date = {since} AND dp_id > "
        + f"{adql_text(after.dp_id)}))"
    )


def _timestamp(value) -> datetime.datetime | None:
    text = str(value or "").strip()
    if not text or text == "--":
        return None
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _text(value) -> str:
    text = "" if value is None else str(value)
    return "" if text == "--" else text.strip()


class EsoArchive:
    def __init__(self, tap_url: str | None = None, header_url: str | None = None):
        self.tap_url = tap_url or settings.ESO_TAP_URL
        self.header_url = header_url or settings.ESO_HEADER_URL
        self.session = PoliteSession(
            settings.ESO_TIMEOUT, settings.ESO_USER_AGENT, settings.ESO_MAX_REQUESTS_PER_SECOND
        )
        self.cache_dir = (
            Path(settings.ESO_HEADER_CACHE_DIR) if settings.ESO_HEADER_CACHE_DIR else None
        )

    def _tap(self, query: str, maxrec: int):
        from pyvo.dal import DALFormatError, DALQueryError, DALServiceError, TAPService

        try:
            result = TAPService(self.tap_url, session=self.session).run_sync(query, maxrec=maxrec)
        except (DALServiceError, DALQueryError, DALFormatError, requests.RequestException) as exc:
            raise ArchiveUnavailable(f"ESO TAP ({self.tap_url}): {exc}") from exc
        return result.to_table()

    def count_changed(self, after: Mark) -> int:
        query = f"SELECT COUNT(*) AS n FROM dbo.raw WHERE {_where(after)}"  # noqa: S608 - ADQL, values quoted
        table = self._tap(query, 1)
        return int(table[0][0]) if len(table) else 0

    def changed_files(self, after: Mark, limit: int) -> list[ArchiveFile]:
        """The next ``limit`` files after ``after``, in modification order."""
        query = (
            f"SELECT TOP {int(limit)} {COLUMNS} FROM dbo.raw WHERE {_where(after)} "  # noqa: S608
            "ORDER BY last_mod_date, dp_id"
        )
        files = []
        for row in self._tap(query, limit):
            try:
                files.append(
                    ArchiveFile(
                        dp_id=_text(row["dp_id"]),
                        modified=_text(row["last_mod_date"]),
                        release_date=_timestamp(row["release_date"]),
                        program_title=_text(row["prog_title"])[:200],
                        pi_coi=_text(row["pi_coi"])[:200],
                    )
                )
            except (KeyError, ValueError) as exc:
                raise ArchiveUnavailable(f"ESO TAP answered an unexpected row: {exc}") from exc
        return files

    def header(self, file: ArchiveFile) -> str:
        """The primary header of a file, as text cards; cached by (dp_id, modification)."""
        cached = self._cache_path(file)
        if cached and cached.is_file():
            return gzip.decompress(cached.read_bytes()).decode("ascii", "replace")
        try:
            response = self.session.get(self.header_url, params={"DpId": file.dp_id})
        except requests.RequestException as exc:
            raise ArchiveUnavailable(f"ESO header service: {exc}") from exc
        if response.status_code != 200:
            raise ArchiveUnavailable(
                f"ESO header service answered HTTP {response.status_code} for {file.dp_id}"
            )
        match = PRE.search(response.text)
        if not match or "END" not in match.group(1):
            raise ArchiveUnavailable(f"ESO header service sent no header for {file.dp_id}")
        text = html.unescape(match.group(1))
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(".part")
            partial.write_bytes(gzip.compress(text.encode("ascii", "replace")))
            partial.replace(cached)  # never a half-written cache entry
        return text

    def _cache_path(self, file: ArchiveFile) -> Path | None:
        if self.cache_dir is None:
            return None
        stamp = re.sub(r"[^0-9]", "", file.modified)
        name = re.sub(r"[^A-Za-z0-9.-]", "-", file.dp_id)
        return self.cache_dir / name[:5] / f"{name}.{stamp}.hdr.gz"
