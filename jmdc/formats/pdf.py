"""A selection of the catalogue as a PDF to print or attach: what was selected, in words, the
date and the release the catalogue had then, and the table with each column's unit.

Written with reportlab (platypus: the table flows over as many landscape pages as it needs,
its header repeated on each). The standard PDF fonts need no font file on the server; they
hold Latin-1, so a character beyond it is written as "?" rather than as an empty box (the
other formats keep every character).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from ..columns import COLUMNS, Kind
from ..models import BandCode

# Points across a landscape A4 page less its margins, shared by the 12 columns.
WIDTHS = [78, 66, 44, 44, 48, 34, 50, 38, 44, 180, 100, 32]


@dataclass(frozen=True)
class About:
    """What the PDF says above its table (the export decides it; the writer only prints it)."""

    selection: list[str] = field(default_factory=list)  # each filter in words; empty: all rows
    sort: str = ""  # "sorted by LD (mas), largest first"; empty: export order
    written: datetime.datetime | None = None
    release: str = ""  # "the catalogue since release 2026.1 of 2026-11-23"
    url: str = ""  # the page the selection was made on


def latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def header(column) -> str:
    """The column's name and, below it, its unit (Paragraph markup)."""
    return f"{column.name}<br/>({column.unit})" if column.unit else column.name


def cell(column, value) -> str:
    if value is None:
        return ""
    if column.kind is Kind.FLAG:
        return "yes" if value else "no"
    if column.field == "bandcode" and value in BandCode.values:
        return BandCode(value).label  # a letter, as the catalogue table writes it
    return latin1(repr(value) if isinstance(value, float) else str(value))


def write_pdf(rows: Iterable[tuple], *, about: About | None = None) -> bytes:
    """The rows (12 values each, in export order) under the words of ``about``."""
    about = about or About()
    styles = getSampleStyleSheet()
    small = ParagraphStyle("cell", parent=styles["BodyText"], fontSize=7, leading=8.4)
    written = about.written or datetime.datetime.now(datetime.UTC)
    story = [
        Paragraph("JMDC: JMMC Measured stellar Diameters Catalogue", styles["Title"]),
        Paragraph(escape(latin1(_selection_sentence(about))), styles["BodyText"]),
    ]
    if about.sort:
        story.append(
            Paragraph(
                escape(latin1(about.sort[:1].upper() + about.sort[1:] + ".")), styles["BodyText"]
            )
        )
    dated = f"Written {written:%Y-%m-%d %H:%M} UTC"
    dated += f", from {about.release}." if about.release else "."
    story.append(Paragraph(escape(latin1(dated)), styles["BodyText"]))
    if about.url:
        story.append(Paragraph(escape(latin1(f"Selection: {about.url}")), small))
    story.append(Spacer(0, 4 * mm))

    notes = next(i for i, column in enumerate(COLUMNS) if column.field == "notes")
    data: list[list] = [[Paragraph(header(c), small) for c in COLUMNS]]  # names: ASCII
    for values in rows:
        line: list = [cell(c, v) for c, v in zip(COLUMNS, values, strict=True)]
        if line[notes]:  # only the notes are long enough to need wrapping
            line[notes] = Paragraph(escape(line[notes]), small)
        data.append(line)
    if len(data) == 1:
        data.append(["No measurement matches this selection.", *[""] * (len(COLUMNS) - 1)])
    table = LongTable(data, colWidths=WIDTHS, repeatRows=1)
    numbers = [i for i, column in enumerate(COLUMNS) if column.kind is Kind.REAL]
    style = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 7),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f0f3f6")]),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i in numbers]
    table.setStyle(TableStyle(style))
    story.append(table)

    out = io.BytesIO()
    document = SimpleDocTemplate(
        out, pagesize=landscape(A4), leftMargin=10 * mm, rightMargin=10 * mm,
        topMargin=10 * mm, bottomMargin=12 * mm, title="JMDC selection", author="JMDC portal",
        invariant=True,
    )  # fmt: skip
    document.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return out.getvalue()


def _selection_sentence(about: About) -> str:
    if not about.selection:
        return "All the measurements of the catalogue you may see."
    return "The measurements where " + "; ".join(about.selection) + "."


def _page_number(canvas, document) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 7)
    canvas.drawRightString(
        document.pagesize[0] - 10 * mm, 6 * mm, f"JMDC selection, page {document.page}"
    )
    canvas.restoreState()
