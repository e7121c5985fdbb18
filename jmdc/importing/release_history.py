"""The curators' spreadsheets of 2016-2019 read in as historical releases.

Each version of SearchCal's JMDC.xls (converted to ``JMDC_<yyyymmdd>_<commit8>.csv``) is read
by the catalogue file reader, frozen as a release of its date and built like any release, with
its changelog against the version before.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..models import Release
from ..releases import ReleaseError, build, freeze
from .catalogue_file import read_catalogue_file

SPREADSHEET_NAME = re.compile(r"^JMDC_(\d{8})_([0-9a-f]{8})\.csv$")


@dataclass
class HistoricalImport:
    path: Path
    release: Release | None  # None when it was imported before
    rejected: int


def import_spreadsheet_versions(
    paths: Iterable[Path], *, report: Callable[[str], None] | None = None
) -> list[HistoricalImport]:
    """Import the curators' spreadsheet versions (``JMDC_<yyyymmdd>_<commit8>.csv``, as
    converted from SearchCal's JMDC.xls) as historical releases, oldest first, each built
    with its changelog against the one before. Versions imported before are skipped."""
    dated = []
    for path in paths:
        match = SPREADSHEET_NAME.match(Path(path).name)
        if not match:
            raise ReleaseError(
                f"{Path(path).name}: expected a name like JMDC_20161201_25b9ec46.csv "
                "(date and SearchCal commit of the spreadsheet)"
            )
        day = datetime.datetime.strptime(match.group(1), "%Y%m%d").date()
        dated.append((day, match.group(2), Path(path)))
    results = []
    for day, commit, path in sorted(dated):
        version = f"xls-{day:%Y%m%d}-{commit}"
        if Release.objects.filter(version=version).exists():
            results.append(HistoricalImport(path, None, 0))
            continue
        parsed = read_catalogue_file(path)
        release = freeze(
            ((None, row.key()) for _, row in _in_export_order(parsed.rows)),
            version=version,
            date=day,
            kind=Release.Kind.HISTORICAL,
            source=f"JMDC.xls of SearchCal (alx/config/JMDC) at commit {commit}",
            notes=f"Curators' spreadsheet of {day:%d %B %Y}, imported from {path.name}.",
        )
        build(release.pk)
        release.refresh_from_db()
        results.append(HistoricalImport(path, release, parsed.rejected_lines))
        if report:
            report(f"{release.version}: {release.row_count} rows, {release.status}")
    return results


def _in_export_order(rows):
    """The export order of the portal: bibcode descending, case-insensitively, byte order;
    the file's order among equal bibcodes."""
    return sorted(rows, key=lambda item: item[1].bibcode.lower().encode(), reverse=True)
