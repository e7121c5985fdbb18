"""The ObsPortal VOTables: the Aspro2/OiDB answer of /search.votable and the IVOA Simple Cone
Search, written by the portal's one streaming TABLEDATA writer, in the VOTable version asked
(1.4 by default)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from django.db.models import TextField
from django.db.models.functions import Cast

from lib.sql_rows import QueryRows, RowText, UtcSeconds, on_postgresql, stream_text, xml_text
from lib.votable import (
    DEFAULT_VERSION,
    VOField,
    VOTableVersion,
    Written,
    row_sql,
    write_votable,
)

# The clients' namespace: OiDB checks it exactly.
OBSPORTAL_NAMESPACE = "http://www.ivoa.net/xml/VOTable/v1.4"


def _double(name, ucd, unit=""):
    return VOField(name, "double", unit, ucd, nan_for_null=True)


def _text(name, ucd=""):
    # unicodeChar as the original service: PI names and titles from the archive are not ASCII.
    return VOField(name, "unicodeChar", ucd=ucd)


class Column(NamedTuple):
    field: VOField
    source: str | Cast | UtcSeconds  # the Exposure column (or expression) it is read from
    short: bool  # also in the answer without all_fields (Aspro2's)
    # The whole cell in SQL (PostgreSQL), ``{0}`` standing for the column, when more is known
    # of its values than their type says (lib.votable.row_sql's own_cells); else the field's.
    cell_sql: str = ""


# A date's cell on PostgreSQL: its text (UtcSeconds) computed once, no escaping to look for.
DATE_CELL = "coalesce('<TD>' || {0} || '</TD>', '<TD/>')"


# A JSON list's cell on PostgreSQL: its text is never NULL nor empty, and is computed from the
# stored jsonb each time it is named (four times in a text's cell; twice here).
JSON_CELL = f"'<TD>' || {xml_text('{0}')} || '</TD>'"


COLUMNS = [
    Column(_text("exp_id", "meta.id"), "exp_id", True),
    Column(_text("exp_header_id", "meta.id"), "header_id", True),
    Column(_double("exp_mjd_start", "time.start;obs.exposure", "d"), "mjd_start", True),
    Column(_double("exp_mjd_end", "time.end;obs.exposure", "d"), "mjd_end", True),
    # Stored as the clients read it, without characters XML forbids (models.BaselinesTextField).
    Column(VOField("exp_projected_baselines", "unicodeChar", ucd="instr.baseline", markup_only=True), "baselines_text", True),
    Column(VOField("exp_validation_level", "int", ucd="meta.code.qual"), "validation_level", True),
    # Read as the JSON text the database holds: no decoding and encoding again per row.
    Column(_text("exp_validation_log"), Cast("validation_log", TextField()), False, JSON_CELL),
    Column(_double("exp_tau0", "time.processing", "s"), "tau0", True),
    Column(_double("exp_temperature", "phys.temperature", "Cel"), "temperature", True),
    Column(_double("exp_seeing", "instr.obsty.seeing", "arcsec"), "seeing", True),
    Column(_text("exp_date_updated", "time.processing"), UtcSeconds("date_updated"), False, DATE_CELL),
    Column(_text("exp_date_release", "time.release;obs"), UtcSeconds("date_release"), False, DATE_CELL),
    Column(VOField("obs_id", "int", ucd="meta.id"), "obs_id", True),
    Column(_text("obs_type", "meta.id;class"), "category", True),
    Column(_text("obs_program", "meta.id"), "program", True),
    Column(_text("obs_program_title", "meta.title"), "program_title", False),
    Column(_text("obs_program_pi_coi", "meta.curation;obs.observer"), "program_pi_coi", False),
    Column(_text("interferometer_name", "meta.id"), "interferometer", True),
    Column(_text("interferometer_stations"), "stations", True),
    Column(_text("instrument_name", "meta.id;instr"), "instrument", True),
    Column(_text("instrument_mode", "meta.id;instr.setup"), "mode", True),
    Column(_text("instrument_submode", "meta.id;instr.setup"), "submode", True),
    Column(_double("instrument_em_min", "em.wl;stat.min", "m"), "em_min", False),
    Column(_double("instrument_em_max", "em.wl;stat.max", "m"), "em_max", False),
    Column(_double("instrument_em_res_power", "spect.resolution"), "res_power", False),
    Column(VOField("target_id", "int", ucd="meta.id"), "star_id", True),
    Column(_text("target_name", "meta.id;meta.main"), "target_name", True),
    Column(_double("target_ra", "pos.eq.ra;meta.main", "deg"), "ra", True),
    Column(_double("target_dec", "pos.eq.dec;meta.main", "deg"), "dec", True),
]  # fmt: skip


def answer_rows(queryset, columns: list[Column]) -> Iterator[tuple]:
    """The cells of each exposure, read as bare values (no model instances), in the order
    the clients expect: each column's value is its cell's (the database converts them)."""
    expressions = {
        f"_cell{i}": c.source for i, c in enumerate(columns) if not isinstance(c.source, str)
    }
    names = [c.source if isinstance(c.source, str) else f"_cell{i}" for i, c in enumerate(columns)]
    values = queryset.annotate(**expressions).order_by("mjd_start", "pk").values_list(*names)
    return values.iterator(chunk_size=2000)


def written_rows(ordered, columns: list[Column], version: VOTableVersion) -> Written:
    """The TABLEDATA rows of ``columns`` written by the database (PostgreSQL): the bytes
    ``answer_rows`` and lib.votable would write, in the order of ``ordered``."""
    own_cells = {
        index: column.cell_sql.replace("{0}", f"{{{index}}}")
        for index, column in enumerate(columns)
        if column.cell_sql
    }
    template = row_sql([c.field for c in columns], version, own_cells)
    sources = [c.source for c in columns]
    return Written(stream_text(ordered, RowText(template, *sources), using=ordered.db))


def answer_pieces(queryset, columns: list[Column], version: VOTableVersion):
    """The rows of the answer: written by the database on PostgreSQL, else in Python."""
    if on_postgresql(queryset.db):
        return written_rows(queryset.order_by("mjd_start", "pk"), columns, version)
    return answer_rows(queryset, columns)


def search_votable(
    queryset, *, all_fields: bool, last_mod_date: str = "", version: VOTableVersion | None = None
) -> Iterator[str | bytes]:
    """The clients' answer. Without a ``version`` it is the document OiDB and Aspro2 read, byte
    for byte: VOTable 1.4 in the original service's own ``v1.4`` namespace (OiDB selects
    nothing in any other), TABLEDATA. A client that asks for a version (neither of them does)
    gets the standard document of that version, in its own namespace: what a validator
    expects, and nothing the two clients' contract covers. Every version is TABLEDATA."""
    columns = [c for c in COLUMNS if all_fields or c.short]
    params = {"status": "OK"}
    if last_mod_date:
        params["last_mod_date"] = last_mod_date
    return write_votable(
        [c.field for c in columns], answer_pieces(queryset, columns, version or DEFAULT_VERSION),
        table_name="exposures",
        description="Interferometric exposures (ObsPortal of the JMDC portal)",
        params=params, version=version or DEFAULT_VERSION,
        namespace=None if version else OBSPORTAL_NAMESPACE,
    )  # fmt: skip


SCS_FIELDS = [
    VOField("exp_id", "char", ucd="ID_MAIN", description="Exposure id (DP.ID and number)"),
    VOField("target_ra", "double", "deg", "POS_EQ_RA_MAIN", "Pointing RA (J2000)"),
    VOField("target_dec", "double", "deg", "POS_EQ_DEC_MAIN", "Pointing Dec (J2000)"),
    VOField("target_name", "char", ucd="ID_TARGET", description="Target name in the header"),
    VOField("instrument_name", "char", ucd="INST_ID", description="Instrument"),
    VOField("obs_type", "char", ucd="CLASS_OBJECT", description="science or calibrator"),
    VOField("exp_mjd_start", "double", "d", "TIME_DATE", description="Start of the exposure (MJD)"),
]


def scs_votable(
    queryset, maxrec: int, version: VOTableVersion = DEFAULT_VERSION
) -> Iterator[str | bytes]:
    """At most ``maxrec`` exposures of the cone; when there were more, the DALI overflow
    indicator (``<INFO name="QUERY_STATUS" value="OVERFLOW"/>``) follows the TABLE.

    VOTable 1.1 has no INFO after a TABLE: there the one QUERY_STATUS before the table says
    OVERFLOW (as the protocols of VOTable 1.1's time did), known before the rows by asking the
    database whether a row follows the last one sent."""
    ordered = queryset.order_by("mjd_start", "pk")
    if on_postgresql(queryset.db):
        return _scs_in_sql(ordered, maxrec, version)
    rows = ordered.values_list(*SCS_SOURCES)[
        : maxrec + 1
    ]  # one more than asked: it tells an overflow without counting the cone
    description = "Simple Cone Search 1.03 of the VLTI exposures"
    if not version.info_after_table:
        overflow = ordered[maxrec : maxrec + 1].exists()
        return write_votable(
            SCS_FIELDS, rows[:maxrec].iterator(chunk_size=2000), table_name="results",
            description=description, version=version,
            infos={"QUERY_STATUS": "OVERFLOW" if overflow else "OK"},
        )  # fmt: skip
    seen = [0]

    def first_rows():
        for row in rows.iterator(chunk_size=2000):
            seen[0] += 1
            if seen[0] > maxrec:
                return
            yield row

    def status_after() -> dict[str, str]:
        return {"QUERY_STATUS": "OVERFLOW"} if seen[0] > maxrec else {}

    return write_votable(
        SCS_FIELDS, first_rows(), table_name="results", description=description,
        infos={"QUERY_STATUS": "OK"}, infos_after=status_after, version=version,
    )  # fmt: skip


SCS_SOURCES = ["exp_id", "ra", "dec", "target_name", "instrument", "category", "mjd_start"]


def _scs_in_sql(ordered, maxrec: int, version: VOTableVersion) -> Iterator[str | bytes]:
    """scs_votable with its rows written by the database: the overflow asked of the database
    once (is there a row after the last one sent?), before the rows or after them."""
    rows = QueryRows(ordered[:maxrec], SCS_SOURCES)
    pieces = Written(rows.written(row_sql(SCS_FIELDS, version)))
    description = "Simple Cone Search 1.03 of the VLTI exposures"

    def overflow() -> bool:
        return ordered[maxrec : maxrec + 1].exists()

    if not version.info_after_table:
        return write_votable(
            SCS_FIELDS, pieces, table_name="results", description=description, version=version,
            infos={"QUERY_STATUS": "OVERFLOW" if overflow() else "OK"},
        )  # fmt: skip
    return write_votable(
        SCS_FIELDS, pieces, table_name="results", description=description, version=version,
        infos={"QUERY_STATUS": "OK"},
        infos_after=lambda: {"QUERY_STATUS": "OVERFLOW"} if overflow() else {},
    )  # fmt: skip


def scs_error(message: str, version: VOTableVersion = DEFAULT_VERSION) -> str:
    """SCS 1.03's error (an INFO named Error) and DALI's (QUERY_STATUS ERROR), in ``version``:
    the same elements stand in the same places from 1.1 to 1.4."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<VOTABLE version="{version.number}" xmlns="{version.namespace}">\n'
        "<DESCRIPTION>Simple Cone Search error</DESCRIPTION>\n"
        f'<INFO name="Error" value="{_attr(message)}"/>\n'
        '<RESOURCE type="results"><INFO name="QUERY_STATUS" value="ERROR">'
        f"{_attr(message)}</INFO></RESOURCE>\n</VOTABLE>\n"
    )


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )
