"""The documents that describe the TAP service to its clients (VOSI and DALI): capabilities
(with TAPRegExt), availability, the tableset and the examples. The tableset comes from the
same description as the views and TAP_SCHEMA (vo/tap/tables.py)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from django.conf import settings

from vo.tap.output import OUTPUT_FORMATS
from vo.tap.tables import PubTable, published_schemas

XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
XSI = "http://www.w3.org/2001/XMLSchema-instance"

# The ADQL geometry TAP declares: what queryparser translates for pgsphere.
GEOMETRY_FEATURES = ("POINT", "CIRCLE", "BOX", "POLYGON", "CONTAINS", "INTERSECTS", "DISTANCE")
OUTPUT_IVOIDS = {
    "TABLEDATA": "ivo://ivoa.net/std/TAPRegExt#output-votable-td",
    "BINARY2": "ivo://ivoa.net/std/TAPRegExt#output-votable-binary2",
}


# What the language element says, in /tap/capabilities and in the registry record (one
# description, vo/registry): ADQL's optional features this service runs, no more (queryparser
# does not read UPPER, LOWER, CAST, COALESCE, CASE or WITH, so they are not declared).
LANGUAGE_FEATURES = (
    ("ivo://ivoa.net/std/TAPRegExt#features-adqlgeo", GEOMETRY_FEATURES),
    ("ivo://ivoa.net/std/TAPRegExt#features-adql-string", ("ILIKE",)),
    ("ivo://ivoa.net/std/TAPRegExt#features-adql-offset", ("OFFSET",)),
)


def language_xml() -> str:
    """TAPRegExt's language element of the TAP capability."""
    features = "".join(
        f"<languageFeatures type={quoteattr(kind)}>"
        + "".join(f"<feature><form>{escape(form)}</form></feature>" for form in forms)
        + "</languageFeatures>"
        for kind, forms in LANGUAGE_FEATURES
    )
    return (
        "<language><name>ADQL</name>"
        '<version ivo-id="ivo://ivoa.net/std/ADQL#v2.0">2.0</version>'
        '<version ivo-id="ivo://ivoa.net/std/ADQL#v2.1">2.1</version>'
        "<description>ADQL translated to PostgreSQL with pgsphere by queryparser</description>"
        f"{features}</language>"
    )


def output_formats_xml() -> str:
    formats = []
    for mime, aliases in OUTPUT_FORMATS:
        serialization = mime.rpartition("=")[2] if "votable" in mime else ""
        ivoid = OUTPUT_IVOIDS.get(serialization)
        attribute = f" ivo-id={quoteattr(ivoid)}" if ivoid else ""
        alias_xml = "".join(f"<alias>{escape(alias)}</alias>" for alias in aliases)
        formats.append(
            f"<outputFormat{attribute}><mime>{escape(mime)}</mime>{alias_xml}</outputFormat>"
        )
    return "".join(formats)


def capabilities(base: str) -> str:
    tap = f"{base}/tap"
    lifetime = int(settings.TAP_JOB_LIFETIME.total_seconds())

    def vosi(standard: str, path: str) -> str:
        return (
            f'<capability standardID="{standard}"><interface xsi:type="vs:ParamHTTP">'
            f'<accessURL use="full">{escape(tap)}/{path}</accessURL></interface></capability>'
        )

    return (
        XML_HEAD + '<vosi:capabilities xmlns:vosi="http://www.ivoa.net/xml/VOSICapabilities/v1.0" '
        f'xmlns:xsi="{XSI}" xmlns:vr="http://www.ivoa.net/xml/VOResource/v1.0" '
        'xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1" '
        'xmlns:tr="http://www.ivoa.net/xml/TAPRegExt/v1.0">'
        '<capability standardID="ivo://ivoa.net/std/TAP" xsi:type="tr:TableAccess">'
        '<interface xsi:type="vs:ParamHTTP" role="std" version="1.1">'
        f'<accessURL use="base">{escape(tap)}</accessURL></interface>'
        '<dataModel ivo-id="ivo://ivoa.net/std/ObsCore#core-1.1">ObsCore-1.1</dataModel>'
        + language_xml()
        + output_formats_xml()
        + f"<retentionPeriod><default>{lifetime}</default><hard>{lifetime}</hard></retentionPeriod>"
        f"<executionDuration><default>{int(settings.TAP_ASYNC_TIMEOUT_SECONDS)}</default>"
        f"<hard>{int(settings.TAP_ASYNC_TIMEOUT_SECONDS)}</hard></executionDuration>"
        f'<outputLimit><default unit="row">{settings.TAP_MAXREC_DEFAULT}</default>'
        f'<hard unit="row">{settings.TAP_MAXREC_HARD}</hard></outputLimit>'
        "</capability>"
        + vosi("ivo://ivoa.net/std/VOSI#capabilities", "capabilities")
        + vosi("ivo://ivoa.net/std/VOSI#availability", "availability")
        + vosi("ivo://ivoa.net/std/VOSI#tables-1.1", "tables")
        + vosi("ivo://ivoa.net/std/DALI#examples", "examples")
        + "</vosi:capabilities>"
    )


def availability(available: bool, note: str) -> str:
    return (
        XML_HEAD + '<vosi:availability xmlns:vosi="http://www.ivoa.net/xml/VOSIAvailability/v1.0">'
        f"<vosi:available>{'true' if available else 'false'}</vosi:available>"
        f"<vosi:note>{escape(note)}</vosi:note></vosi:availability>"
    )


def element(name: str, value: str) -> str:
    return f"<{name}>{escape(value)}</{name}>" if value else ""


def table_xml(table: PubTable) -> str:
    kind = "base_table" if table.schema == "TAP_SCHEMA" else "view"
    parts = [f'<table type="{kind}">', element("name", table.qualified)]
    parts.append(element("description", table.description))
    parts.append(element("utype", table.utype))
    for column in table.columns:
        parts.append("<column>")
        parts.append(element("name", column.name))
        parts.append(element("description", column.description))
        parts.append(element("unit", column.unit))
        parts.append(element("ucd", column.ucd))
        parts.append(element("utype", column.utype))
        attributes = f' arraysize="{column.arraysize}"' if column.arraysize else ""
        if column.xtype:
            attributes += f" extendedType={quoteattr(column.xtype)}"
        parts.append(
            f'<dataType xsi:type="vs:VOTableType"{attributes}>{column.datatype}</dataType>'
        )
        parts.extend(
            f"<flag>{flag}</flag>"
            for flag, on in (("indexed", column.indexed), ("principal", column.principal),
                             ("std", column.std))
            if on
        )  # fmt: skip
        parts.append("</column>")
    for from_column, target, target_column in table.foreign_keys:
        parts.append(
            f"<foreignKey>{element('targetTable', target)}<fkColumn>"
            f"{element('fromColumn', from_column)}{element('targetColumn', target_column)}"
            "</fkColumn></foreignKey>"
        )
    parts.append("</table>")
    return "".join(parts)


def tableset(only: str | None = None) -> str | None:
    """The VOSI tableset, or (``only``) the one table's element; None for an unknown table."""
    namespaces = (
        'xmlns:vosi="http://www.ivoa.net/xml/VOSITables/v1.0" '
        f'xmlns:xsi="{XSI}" xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1"'
    )
    if only is not None:
        for schema in published_schemas():
            for table in schema.tables:
                if table.qualified.lower() == only.lower():
                    return (
                        XML_HEAD
                        + table_xml(table)
                        .replace("<table ", f"<vosi:table {namespaces} ", 1)
                        .removesuffix("</table>")
                        + "</vosi:table>"
                    )
        return None
    schemas = "".join(
        f"<schema>{element('name', schema.name)}{element('description', schema.description)}"
        + "".join(table_xml(table) for table in schema.tables)
        + "</schema>"
        for schema in published_schemas()
    )
    return XML_HEAD + f"<vosi:tableset {namespaces}>{schemas}</vosi:tableset>"


EXAMPLES = (
    (
        "cone",
        "Measured diameters within a degree of a position",
        "The measurements of the stars within 1 degree of Vega (CONTAINS of a POINT in a "
        "CIRCLE, both in degrees).",
        "SELECT main_id, ld_diam, e_ld_diam, band, bibcode\nFROM jmdc.measurements\n"
        "WHERE 1 = CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 279.2347, 38.7837, 1.0))",
    ),
    (
        "join",
        "Each star with its measurements",
        "A join of the measurements with their stars: spectral type beside the diameter.",
        "SELECT TOP 100 s.main_id, s.sp_type, m.ld_diam, m.e_ld_diam, m.band\n"
        "FROM jmdc.measurements AS m JOIN jmdc.stars AS s ON m.star_id = s.star_id\n"
        "WHERE m.ld_diam > 5\nORDER BY 3 DESC",
    ),
    (
        "obscore",
        "Exposures of an instrument as ObsCore granules",
        "The VLTI exposures taken with PIONIER, with the DataLink of each (access_url).",
        "SELECT TOP 100 obs_id, target_name, s_ra, s_dec, t_min, t_max, em_min, em_max, "
        "access_url\nFROM ivoa.ObsCore\nWHERE instrument_name = 'PIONIER'",
    ),
)


def examples() -> str:
    blocks = "".join(
        f'<div typeof="example" id="{key}" resource="#{key}">'
        f'<h2 property="name">{escape(name)}</h2><p>{escape(text)}</p>'
        f'<pre class="dali-example" property="query">{escape(query)}</pre></div>'
        for key, name, text, query in EXAMPLES
    )
    return (
        XML_HEAD + '<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml"><head>'
        "<title>Examples of the JMDC portal's TAP service</title></head>"
        '<body vocab="ivo://ivoa.net/std/DALI-examples">'
        "<h1>Examples of ADQL queries</h1>"
        f"{blocks}</body></html>"
    )
