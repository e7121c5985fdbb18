"""A streaming VOTable TABLEDATA writer: the one VOTable writer of the portal.

astropy builds the whole table in memory before writing it, far too slow and heavy for the
300,000-row answers of the ObsPortal; this writer yields the document in pieces as rows come
from the database. Fields carry units, UCDs and descriptions; integer columns that can be
null declare their null value, as the standard asks.

It writes VOTable 1.4 unless asked for 1.1, 1.2 or 1.3 (``requested_version`` reads the
request's ``VERSION`` or a media type's ``version=``). The versions differ only around the
rows (the root's version and namespace, where an INFO may stand): the cells are written alike,
so the version is settled once per document and costs the rows nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

from .sql_rows import NEEDS_CARE as NEEDS_CARE_SQL
from .sql_rows import markup_text, py_repr, xml_text

VOTABLE_NAMESPACE = "http://www.ivoa.net/xml/VOTable/v1.3"  # VOTable 1.4 keeps the 1.3 namespace
# Characters XML 1.0 does not allow, even escaped.
INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CHUNK_ROWS = 2000


@dataclass(frozen=True)
class VOTableVersion:
    number: str
    namespace: str
    # VOTable 1.2 let a RESOURCE hold INFOs after its TABLE, where DALI puts the overflow
    # indicator; a 1.1 RESOURCE has its INFOs before the TABLE only.
    info_after_table: bool
    # VOTable 1.3 made an empty cell of an integer column a null; before, such a column
    # says which value stands for null (astropy refuses the empty cell of a 1.1 or 1.2).
    empty_integer_is_null: bool


VERSIONS = {
    v.number: v
    for v in [
        VOTableVersion("1.1", "http://www.ivoa.net/xml/VOTable/v1.1", False, False),
        VOTableVersion("1.2", "http://www.ivoa.net/xml/VOTable/v1.2", True, False),
        VOTableVersion("1.3", VOTABLE_NAMESPACE, True, True),
        VOTableVersion("1.4", VOTABLE_NAMESPACE, True, True),
    ]
}
DEFAULT_VERSION = VERSIONS["1.4"]
# The media types that name a VOTable (TAP's and DALI's RESPONSEFORMAT values, and the short
# name TOPCAT and pyvo accept); only TABLEDATA is written here.
VOTABLE_MEDIA_TYPES = ("application/x-votable+xml", "text/xml", "votable")


class UnknownVersion(ValueError):
    """A VOTable version or format the request asks for and the portal does not write."""


def requested_version(params) -> VOTableVersion | None:
    """The VOTable version the request asks for, or None when it names none.

    ``VERSION=1.2`` or a ``RESPONSEFORMAT`` (or ``FORMAT``) media type with its version,
    ``application/x-votable+xml;version=1.2``; DALI makes parameter names case-insensitive.
    Raises UnknownVersion, in the client's words, for a version or a format not written here."""
    given = {key.upper(): params.get(key, "").strip() for key in params}
    asked: dict[str, str] = {}  # the version, by the parameter that asked for it
    if given.get("VERSION"):
        asked["VERSION"] = given["VERSION"]
    for name in ("RESPONSEFORMAT", "FORMAT"):
        if given.get(name):
            version = _media_type_version(name, given[name])
            if version:
                asked[name] = version
    if len(set(asked.values())) > 1:
        said = " and ".join(f"{name} asks for {value}" for name, value in asked.items())
        raise UnknownVersion(f"{said}: give one VOTable version.")
    if not asked:
        return None
    name, number = next(iter(asked.items()))
    if number not in VERSIONS:
        raise UnknownVersion(
            f"{name}={number!r} is not a VOTable version written here: give one of "
            f"{', '.join(VERSIONS)}."
        )
    return VERSIONS[number]


def _media_type_version(name: str, value: str) -> str:
    kind, *parameters = (part.strip() for part in value.split(";"))
    if kind.lower() not in VOTABLE_MEDIA_TYPES:
        raise UnknownVersion(
            f"{name}={value!r} is not a VOTable: this answer is written as "
            "application/x-votable+xml (its version as ;version=1.1 to 1.4)."
        )
    version = ""
    for parameter in parameters:
        key, _, said = parameter.partition("=")
        key, said = key.strip().lower(), said.strip().strip('"')
        if key == "version":
            version = said
        elif key == "serialization" and said.upper() != "TABLEDATA":
            raise UnknownVersion(
                f"{name}={value!r}: this answer is written as TABLEDATA only "
                "(the clients it serves read no other)."
            )
    return version


@dataclass(frozen=True)
class VOField:
    name: str
    datatype: str  # char, unicodeChar, boolean, short, int, long, float, double
    unit: str = ""
    ucd: str = ""
    description: str = ""
    null: int | None = None  # the value that stands for null in an integer column
    nan_for_null: bool = False  # write NaN, not an empty cell, for a null double (ObsPortal)
    # A text whose values hold no character XML forbids (stored so): only & < > to escape,
    # looked for without a regex (a long stored text searched a row at a time cost the most).
    markup_only: bool = False

    def in_version(self, version: VOTableVersion) -> VOField:
        """This field as ``version`` writes it: before 1.3 an integer column without a null of
        its own takes its type's smallest value as null (the value no count or id here has)."""
        if self.datatype in SMALLEST and self.null is None and not version.empty_integer_is_null:
            return replace(self, null=SMALLEST[self.datatype])
        return self

    def header(self) -> str:
        attrs = f'name={quoteattr(self.name)} datatype="{self.datatype}"'
        if self.datatype in ("char", "unicodeChar"):
            attrs += ' arraysize="*"'
        if self.unit:
            attrs += f" unit={quoteattr(self.unit)}"
        if self.ucd:
            attrs += f" ucd={quoteattr(self.ucd)}"
        inner = ""
        if self.description:
            inner += f"<DESCRIPTION>{text(self.description)}</DESCRIPTION>"
        if self.null is not None:
            inner += f'<VALUES null="{self.null}"/>'
        return f"<FIELD {attrs}>{inner}</FIELD>" if inner else f"<FIELD {attrs}/>"

    def writer(self):
        """The function that writes this field's cells: chosen once per field, not per cell
        (300,000 rows of 29 fields are 8.7 million calls)."""
        if self.datatype == "boolean":
            return lambda v: "<TD/>" if v is None else ("<TD>T</TD>" if v else "<TD>F</TD>")
        if self.datatype in ("double", "float"):
            empty = "<TD>NaN</TD>" if self.nan_for_null else "<TD/>"
            return lambda v: (
                empty if v is None else (f"<TD>{v!r}</TD>" if v == v else "<TD>NaN</TD>")
            )
        if self.datatype in ("short", "int", "long"):
            empty = "<TD/>" if self.null is None else f"<TD>{self.null}</TD>"
            return lambda v: empty if v is None else f"<TD>{int(v)}</TD>"
        return lambda v: "<TD/>" if v is None or v == "" else f"<TD>{text(str(v))}</TD>"

    def sql_cell(self, x: str, *, escaped: bool = True) -> str:
        """The SQL (PostgreSQL) writing this field's cell of the SQL value ``x`` exactly as
        ``writer()`` writes it (lib.sql_rows: the doubles' digits, the text's escapes);
        ``escaped=False`` for a text known to need none (``row_sql`` searched the row's)."""
        if self.datatype == "boolean":
            return f"CASE WHEN {x} IS NULL THEN '<TD/>' WHEN {x} THEN '<TD>T</TD>' ELSE '<TD>F</TD>' END"
        if self.datatype in ("double", "float"):
            empty = "'<TD>NaN</TD>'" if self.nan_for_null else "'<TD/>'"
            return (
                f"CASE WHEN {x} IS NULL THEN {empty} WHEN {x} = 'NaN'::float8 THEN '<TD>NaN</TD>' "
                f"ELSE '<TD>' || {py_repr(x)} || '</TD>' END"
            )
        if self.datatype in ("short", "int", "long"):
            empty = "'<TD/>'" if self.null is None else f"'<TD>{self.null}</TD>'"
            return f"CASE WHEN {x} IS NULL THEN {empty} ELSE '<TD>' || ({x})::text || '</TD>' END"
        if self.markup_only:
            return f"CASE WHEN {x} IS NULL OR {x} = '' THEN '<TD/>' ELSE '<TD>' || {markup_text(x)} || '</TD>' END"
        value = xml_text(x) if escaped else x
        return (
            f"CASE WHEN {x} IS NULL OR {x} = '' THEN '<TD/>' ELSE '<TD>' || {value} || '</TD>' END"
        )


SMALLEST = {"short": -(2**15), "int": -(2**31), "long": -(2**63)}

# What text() must change: markup characters, and characters XML 1.0 forbids even escaped.
NEEDS_CARE = re.compile("[&<>" + INVALID_XML.pattern[1:])


def text(value: str) -> str:
    if NEEDS_CARE.search(value) is None:  # nearly every cell: nothing to do
        return value
    return escape(INVALID_XML.sub("", value))


class Written:
    """Rows the database already wrote as TABLEDATA (each ``<TR>...</TR>`` and a newline), in
    pieces of bytes: ``write_votable`` puts them between its head and tail unchanged."""

    def __init__(self, pieces: Iterable[bytes]) -> None:
        self.pieces = pieces


def cell_by_cell(fields: Sequence[VOField]) -> Callable[[tuple], str]:
    """A ``<TR>`` of ``fields`` written one cell at a time by each field's ``writer()``: the
    reference ``row_writer`` must equal, and its path for a row whose text needs escaping."""
    cells = [field.writer() for field in fields]
    return lambda row: (
        "<TR>" + "".join([cell(v) for cell, v in zip(cells, row, strict=True)]) + "</TR>\n"
    )


def _cell_source(field: VOField, v: str) -> str:
    """The Python expression of ``field.writer()(v)`` for a text cell needing no escape."""
    if field.datatype == "boolean":
        return f"('<TD/>' if {v} is None else ('<TD>T</TD>' if {v} else '<TD>F</TD>'))"
    if field.datatype in ("double", "float"):
        empty = "<TD>NaN</TD>" if field.nan_for_null else "<TD/>"
        return f"({empty!r} if {v} is None else (f'<TD>{{{v}!r}}</TD>' if {v} == {v} else '<TD>NaN</TD>'))"
    if field.datatype in ("short", "int", "long"):
        empty = "<TD/>" if field.null is None else f"<TD>{field.null}</TD>"
        return f"({empty!r} if {v} is None else f'<TD>{{int({v})}}</TD>')"
    if field.markup_only:
        return f"('<TD/>' if {v} is None or {v} == '' else f'<TD>{{_markup({v})}}</TD>')"
    return f"('<TD/>' if {v} is None or {v} == '' else f'<TD>{{{v}}}</TD>')"


def _markup(value: str) -> str:
    """text() of a value holding no character XML forbids (a ``markup_only`` field's)."""
    return escape(value) if "&" in value or "<" in value or ">" in value else value


def row_writer(fields: list[VOField]) -> Callable[[tuple], str]:
    """The function writing a ``<TR>`` of ``fields`` (already ``in_version``), the bytes of
    ``cell_by_cell``: generated once per set of fields (compiling it cost an Aspro2 cone's
    answer ~0.35 ms, more than its rows)."""
    return _row_writer(tuple(fields))


@lru_cache(maxsize=64)
def _row_writer(fields: tuple[VOField, ...]) -> Callable[[tuple], str]:
    """row_writer's function, generated.

    Why generated: on SQLite Python writes every row, and calling a writer per cell (29 a row,
    8.7 million for OiDB's 300,000-exposure answer) cost more than the cells themselves. This
    is one expression per row, a conditional per cell, and one search per row for anything
    to escape in its text cells (``NEEDS_CARE``: the rare row that has some is written cell by
    cell; a ``markup_only`` text is looked at for & < > alone). The source is built from the
    fields' types only, never from data."""
    names = [f"v{index}" for index in range(len(fields))]
    texts = "".join(
        f"{{{name}}}"
        for name, field in zip(names, fields, strict=True)
        if field.datatype in ("char", "unicodeChar") and not field.markup_only
    )
    cells = "".join(
        f"{{{_cell_source(field, name)}}}" for name, field in zip(names, fields, strict=True)
    )
    unpack = f"({', '.join(names)},) = row"
    check = f"    if _care(f{texts!r}) is not None:\n        return _slow(row)\n" if texts else ""
    source = f"def write_row(row):\n    {unpack}\n{check}    return f{'<TR>' + cells + '</TR>'!r} + '\\n'\n"
    scope: dict[str, Callable] = {
        "_care": NEEDS_CARE.search, "_slow": cell_by_cell(fields), "_markup": _markup
    }  # fmt: skip
    exec(compile(source, "<lib.votable.row_writer>", "exec"), scope)  # noqa: S102 - our own source
    return scope["write_row"]


def row_sql(
    fields: list[VOField],
    version: VOTableVersion = DEFAULT_VERSION,
    own_cells: Mapping[int, str] | None = None,
) -> str:
    """The SQL template of one ``<TR>`` of ``fields`` in ``version``: ``{0}``, ``{1}``... stand
    for the fields' SQL values (lib.sql_rows).
    ``own_cells`` gives, by index, a cell's whole SQL in place of its field's, where the
    caller knows more of the values than their type says (a date: never markup; a JSON list's
    text: never NULL nor empty), so that each is computed once; they are not in the row's
    search for anything to escape.

    As ``row_writer``: one search a row for anything to escape in its text values, and the
    rare row that has some escapes each text cell. A search per cell was three quarters of
    the database's work for OiDB's answer (14 text cells a row)."""
    own = own_cells or {}
    fields = [field.in_version(version) for field in fields]

    def row(escaped: bool) -> str:
        cells = " || ".join(
            own.get(index) or field.sql_cell(f"{{{index}}}", escaped=escaped)
            for index, field in enumerate(fields)
        )
        return f"'<TR>' || {cells} || '</TR>' || chr(10)"

    texts = [
        f"{{{index}}}"
        for index, field in enumerate(fields)
        if field.datatype in ("char", "unicodeChar") and not field.markup_only and index not in own
    ]
    if not texts:
        return row(escaped=True)
    return (
        f"CASE WHEN concat({', '.join(texts)}) ~ '{NEEDS_CARE_SQL}' "
        f"THEN {row(escaped=True)} ELSE {row(escaped=False)} END"
    )


def write_votable(
    fields: list[VOField],
    rows: Iterable[tuple] | Written,
    *,
    table_name: str,
    description: str = "",
    infos: dict[str, str] | None = None,
    params: dict[str, str] | None = None,
    version: VOTableVersion = DEFAULT_VERSION,
    namespace: str | None = None,
    chunk_rows: int = CHUNK_ROWS,
    infos_after: Callable[[], dict[str, str]] | None = None,
) -> Iterator[str | bytes]:
    """Yield a VOTable document of ``version`` with one TABLEDATA table, ``chunk_rows`` rows a
    piece, as text (rows that are ``Written`` come as the database's bytes). ``namespace``
    overrides the version's own (a client that reads another).

    ``infos_after`` gives the INFOs written after the TABLE, asked once every row is written:
    DALI's overflow indicator is known only then. VOTable 1.1 has no place for them: its
    callers say what they know before the table (``version.info_after_table``)."""
    if infos_after is not None and not version.info_after_table:
        raise ValueError(f"VOTable {version.number} has no INFO after a TABLE")
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<VOTABLE version="{version.number}" xmlns="{namespace or version.namespace}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n',
        '<RESOURCE type="results">\n',
    ]
    for name, value in (infos or {}).items():
        head.append(
            f"<INFO name={quoteattr(name)} value={quoteattr(INVALID_XML.sub('', value))}/>\n"
        )
    for name, value in (params or {}).items():
        head.append(
            f'<PARAM name={quoteattr(name)} datatype="char" arraysize="*" '
            f"value={quoteattr(INVALID_XML.sub('', value))}/>\n"
        )
    head.append(f"<TABLE name={quoteattr(table_name)}>\n")
    if description:
        head.append(f"<DESCRIPTION>{text(description)}</DESCRIPTION>\n")
    fields = [field.in_version(version) for field in fields]  # once a document, not a cell
    head += [field.header() + "\n" for field in fields]
    head.append("<DATA><TABLEDATA>\n")
    yield "".join(head)
    if isinstance(rows, Written):
        yield from rows.pieces
        rows = ()
    write_row = row_writer(fields)
    buffer: list[str] = []
    for row in rows:
        buffer.append(write_row(row))
        if len(buffer) >= chunk_rows:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)
    after = "".join(
        f"<INFO name={quoteattr(name)} value={quoteattr(value)}/>\n"
        for name, value in (infos_after() if infos_after else {}).items()
    )
    yield f"</TABLEDATA></DATA>\n</TABLE>\n{after}</RESOURCE>\n</VOTABLE>\n"
