"""The catalogue (or a selection of it) as a VOTable (1.4 unless asked for 1.1 to 1.3), for
TOPCAT, Aladin and friends."""

from collections.abc import Iterable, Iterator

from lib.sql_rows import QueryRows
from lib.votable import (
    DEFAULT_VERSION,
    VOField,
    VOTableVersion,
    Written,
    row_sql,
    write_votable,
)

from ..columns import COLUMNS, Column, Kind

DATATYPES = {Kind.TEXT: "char", Kind.REAL: "double", Kind.CODE: "short", Kind.FLAG: "boolean"}


def field_of(column: Column) -> VOField:
    """The FIELD of a catalogue column. A code column (METHOD, BANDCODE) is never 0, so 0
    stands for its null: VOTable integers have no null of their own."""
    return VOField(
        column.name,
        DATATYPES[column.kind],
        column.unit,
        column.ucd,
        column.description,
        null=0 if column.kind is Kind.CODE else None,
    )


VOTABLE_FIELDS = [field_of(column) for column in COLUMNS]


def iter_votable(
    rows: Iterable[tuple] | Written,
    *,
    infos: dict[str, str] | None = None,
    version: VOTableVersion = DEFAULT_VERSION,
) -> Iterator[str | bytes]:
    """The rows (12 values each, in export order) as a VOTable of ``version``; ``infos`` adds
    INFO elements (a release names its version). Rows of a query on PostgreSQL (QueryRows)
    are written by the database, as bytes."""
    if isinstance(rows, QueryRows) and rows.in_sql:
        rows = Written(rows.written(row_sql(VOTABLE_FIELDS, version)))
    return write_votable(
        VOTABLE_FIELDS,
        rows,
        table_name="jmdc",
        description="JMMC Measured stellar Diameters Catalogue (JMDC), VizieR II/345",
        infos={
            "reference": "Duvert G. 2016, VizieR II/345; Chelli et al. 2016, A&A 589, A112",
            **(infos or {}),
        },
        version=version,
    )
