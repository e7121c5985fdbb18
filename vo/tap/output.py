"""A TAP result written in the format the client asked for: VOTable (TABLEDATA by default,
or BINARY2, in version 1.1 to 1.4), CSV or JSON; and the VOTable of a refused query.

VOTables are written by astropy's writer: a TAP result is bounded by MAXREC, so it fits in
memory, and astropy writes each version with its own namespace and BINARY2.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass

import numpy as np
from astropy.io.votable.tree import Field, Info, Resource, TableElement, VOTableFile

from vo.tap.engine import Result, ResultColumn, TapError

VOTABLE_VERSIONS = ("1.1", "1.2", "1.3", "1.4")
DEFAULT_VERSION = "1.4"
VOTABLE_MIME = "application/x-votable+xml"


@dataclass(frozen=True)
class Format:
    kind: str  # votable, csv, json
    serialization: str = "TABLEDATA"  # of a VOTable: TABLEDATA or BINARY2
    version: str = DEFAULT_VERSION  # of a VOTable

    @property
    def content_type(self) -> str:
        if self.kind == "csv":
            return "text/csv; charset=utf-8"
        if self.kind == "json":
            return "application/json"
        return VOTABLE_MIME


# Every name a client may give in FORMAT or RESPONSEFORMAT (TAP 1.1 section 2.7.1), lower case.
FORMAT_NAMES = {
    "votable": ("votable", "TABLEDATA"),
    VOTABLE_MIME: ("votable", "TABLEDATA"),
    "text/xml": ("votable", "TABLEDATA"),
    "application/xml": ("votable", "TABLEDATA"),
    "votable/td": ("votable", "TABLEDATA"),
    "votabletd": ("votable", "TABLEDATA"),
    "votable/b2": ("votable", "BINARY2"),
    "votableb2": ("votable", "BINARY2"),
    "csv": ("csv", ""),
    "text/csv": ("csv", ""),
    "json": ("json", ""),
    "application/json": ("json", ""),
}
OUTPUT_FORMATS = (
    # (MIME type, short names): what /tap/capabilities declares.
    (f"{VOTABLE_MIME};serialization=TABLEDATA", ("votable", "votable/td")),
    (f"{VOTABLE_MIME};serialization=BINARY2", ("votable/b2",)),
    ("text/csv;header=present", ("csv",)),
    ("application/json", ("json",)),
)


def parse_format(value: str | None) -> Format:
    """FORMAT / RESPONSEFORMAT (``votable``, ``application/x-votable+xml;
    serialization=BINARY2;version=1.2``, ``csv``, ``json``). TapError if unknown. The VOTable
    version comes from the format alone: DALI's VERSION parameter is the protocol's."""
    text = (value or "").strip()
    base, *parameters = [part.strip() for part in text.split(";")] if text else ["votable"]
    found = FORMAT_NAMES.get(base.lower())
    if found is None:
        known = ", ".join(sorted(FORMAT_NAMES))
        raise TapError(f"Unknown output format '{text}': this service writes {known}.")
    kind, serialization = found
    options = {}
    for parameter in parameters:
        name, _, option = parameter.partition("=")
        options[name.strip().lower()] = option.strip().strip('"')
    if kind != "votable":
        return Format(kind, "", "")
    if "serialization" in options:
        serialization = options["serialization"].upper()
        if serialization not in ("TABLEDATA", "BINARY2"):
            raise TapError(
                f"Unknown VOTable serialization '{options['serialization']}': this service "
                "writes TABLEDATA and BINARY2."
            )
    chosen = options.get("version") or DEFAULT_VERSION
    if chosen not in VOTABLE_VERSIONS:
        raise TapError(
            f"VOTable version {chosen} is not written here: choose one of "
            f"{', '.join(VOTABLE_VERSIONS)}."
        )
    if serialization == "BINARY2" and chosen < "1.3":
        raise TapError(
            f"BINARY2 exists from VOTable 1.3 on: ask for version 1.3 or 1.4, not {chosen}."
        )
    return Format("votable", serialization, chosen)


def absolute(value, base_url: str):
    """A relative link of a published table (the ObsCore access_url) made absolute."""
    if isinstance(value, str) and value.startswith("/"):
        return base_url.rstrip("/") + value
    return value


def prepared_rows(result: Result, base_url: str) -> list[tuple]:
    links = [column.ucd.startswith("meta.ref.url") for column in result.columns]
    if not any(links):
        return result.rows
    return [
        tuple(absolute(v, base_url) if link else v for v, link in zip(row, links, strict=True))
        for row in result.rows
    ]


def render(
    result: Result, fmt: Format, *, base_url: str, infos: dict[str, str] | None = None
) -> tuple[bytes, str]:
    """The result's bytes and content type."""
    rows = prepared_rows(result, base_url)
    if fmt.kind == "csv":
        return render_csv(result.columns, rows), fmt.content_type
    if fmt.kind == "json":
        return render_json(result, rows, infos), fmt.content_type
    return render_votable(result, rows, fmt, infos), fmt.content_type


def render_csv(columns: list[ResultColumn], rows: list[tuple]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.name for column in columns])
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return out.getvalue().encode()


def render_json(result: Result, rows: list[tuple], infos: dict[str, str] | None) -> bytes:
    def value(v):
        if isinstance(v, float) and not math.isfinite(v):
            return None
        return v if v is None or isinstance(v, int | float | str | bool) else str(v)

    document = {
        "columns": [
            {
                "name": c.name,
                "datatype": c.datatype,
                "unit": c.unit,
                "ucd": c.ucd,
                "description": c.description,
            }
            for c in result.columns
        ],
        "data": [[value(v) for v in row] for row in rows],
        "query_status": "OVERFLOW" if result.overflow else "OK",
        "infos": infos or {},
    }
    return json.dumps(document).encode()


NUMPY_TYPES = {
    "boolean": bool, "short": np.int16, "int": np.int32, "long": np.int64,
    "float": np.float32, "double": np.float64,
}  # fmt: skip
INTEGER_NULLS = {"short": -32768, "int": -2147483648, "long": -9223372036854775808}


def column_values(column: ResultColumn, values: list):
    """One column as astropy wants it: a masked array (a null is masked)."""
    mask = [v is None for v in values]
    if column.datatype == "char":
        data = np.array(["" if v is None else str(v) for v in values], dtype=object)
    elif column.datatype in INTEGER_NULLS:
        data = np.array([INTEGER_NULLS[column.datatype] if v is None else int(v) for v in values],
                        dtype=NUMPY_TYPES[column.datatype])  # fmt: skip
    elif column.datatype == "boolean":
        data = np.array([bool(v) for v in values], dtype=bool)
    else:
        data = np.array([np.nan if v is None else float(v) for v in values],
                        dtype=NUMPY_TYPES[column.datatype])  # fmt: skip
    return np.ma.array(data, mask=mask)


def new_votable(version: str) -> tuple[VOTableFile, Resource]:
    votable = VOTableFile(version=version)
    resource = Resource(type="results")
    votable.resources.append(resource)
    return votable, resource


def render_votable(
    result: Result, rows: list[tuple], fmt: Format, infos: dict[str, str] | None
) -> bytes:
    votable, resource = new_votable(fmt.version)
    resource.infos.append(Info(name="QUERY_STATUS", value="OK"))
    for name, value in (infos or {}).items():
        resource.infos.append(Info(name=name, value=value))
    table = TableElement(votable, name="result")
    resource.tables.append(table)
    for index, column in enumerate(result.columns):
        attributes = {"name": column.name, "datatype": column.datatype}
        if column.arraysize:
            attributes["arraysize"] = column.arraysize
        if column.unit:
            attributes["unit"] = column.unit
        if column.ucd:
            attributes["ucd"] = column.ucd
        if column.utype:
            attributes["utype"] = column.utype
        if column.xtype and fmt.version >= "1.2":
            attributes["xtype"] = column.xtype
        field = Field(votable, ID=f"col{index}", **attributes)
        field.description = column.description or None
        if column.datatype in INTEGER_NULLS and fmt.version < "1.3":
            # Before 1.3 an empty cell is no null for an integer: without a declared null
            # value, a null is written NaN, which no integer is (astropy's W31).
            field.values.null = INTEGER_NULLS[column.datatype]
        table.fields.append(field)
    table.create_arrays(len(rows))
    for index, column in enumerate(result.columns):
        values = column_values(column, [row[index] for row in rows])
        table.array[table.fields[index].ID] = values
    out = io.BytesIO()
    table.format = "binary2" if fmt.serialization == "BINARY2" else "tabledata"
    votable.to_xml(out, tabledata_format=None)
    document = out.getvalue()
    if result.overflow:
        # DALI: the OVERFLOW status follows the table, so a streaming reader learns it last.
        document = document.replace(
            b"</TABLE>", b'</TABLE>\n  <INFO name="QUERY_STATUS" value="OVERFLOW"/>', 1
        )
    return document


def error_document(message: str, *, version: str = DEFAULT_VERSION) -> bytes:
    """A VOTable saying the query failed (DALI: INFO QUERY_STATUS ERROR with the reason)."""
    votable, resource = new_votable(version if version in VOTABLE_VERSIONS else DEFAULT_VERSION)
    info = Info(name="QUERY_STATUS", value="ERROR")
    info.content = message
    resource.infos.append(info)
    out = io.BytesIO()
    votable.to_xml(out)
    return out.getvalue()
