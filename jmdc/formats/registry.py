"""The export formats of a selection, in one table: what the page offers, what a download
or an export job writes, and under which name and type it is served."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .csv import iter_csv
from .json import iter_json
from .pdf import write_pdf
from .vizier import iter_jmdc_dat
from .votable import iter_votable
from .xlsx import write_xlsx


@dataclass(frozen=True)
class ExportFormat:
    name: str
    render: Callable[..., Iterator[str] | bytes]
    content_type: str
    filename: str
    # The writer says what was selected, when and from which release: it takes ``about=``.
    described: bool = False
    # Rows written during the request at most (else by a task); None: EXPORT_STREAM_MAX_ROWS.
    request_max_rows: int | None = None
    # The writer takes ``version=``: the VOTable version the query string asks for.
    versioned: bool = False


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
            "votable",
            iter_votable,
            "application/x-votable+xml; charset=utf-8",
            "jmdc.vot",
            versioned=True,
        ),
        ExportFormat("json", iter_json, "application/json", "jmdc.json"),
        # Laid out page by page, a PDF costs about 1 ms a row: large ones go to a task sooner.
        ExportFormat(
            "pdf", write_pdf, "application/pdf", "jmdc.pdf", described=True, request_max_rows=2000
        ),
    ]
}
