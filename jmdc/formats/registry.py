"""The export formats of a selection, in one table: what the page offers, what a download
or an export job writes, and under which name and type it is served."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .csv import iter_csv
from .json import iter_json
from .vizier import iter_jmdc_dat
from .votable import iter_votable
from .xlsx import write_xlsx


@dataclass(frozen=True)
class ExportFormat:
    name: str
    render: Callable[[Iterable[tuple]], Iterator[str] | bytes]
    content_type: str
    filename: str


FORMATS = {
    f.name: f
    for f in [
        ExportFormat("csv", iter_csv, "text/csv; charset=utf-8", "jmdc.csv"),
        ExportFormat(
            "xlsx",
            write_xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "jmdc.xlsx",
        ),
        ExportFormat("vizier", iter_jmdc_dat, "text/plain; charset=us-ascii", "jmdc.dat"),
        ExportFormat(
            "votable", iter_votable, "application/x-votable+xml; charset=utf-8", "jmdc.vot"
        ),
        ExportFormat("json", iter_json, "application/json", "jmdc.json"),
    ]
}
