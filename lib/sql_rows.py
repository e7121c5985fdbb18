"""Rows the database writes itself: on PostgreSQL one SELECT gives each row's whole text (a
VOTable ``<TR>`` or a CSV line), byte for byte what the Python writers write, streamed to the
client from a server-side cursor as the bytes the database sent.

Why: building 29 cells a row in Python made the 300,000-exposure answer 4 to 5 times the
database's own COPY of the same columns; formatted in the SELECT, it costs about that COPY.

The bytes are the Python writers' (``lib.votable``, ``jmdc.formats.csv``), and the hard part is
a double: PostgreSQL's float8 output (``extra_float_digits`` >= 1, set here for the query) is
the shortest text that reads back to the same double, like Python's ``repr``, but it writes an
integral value without ``.0`` (``58000``, ``-0``), switches to an exponent from 1e15 where
Python waits for 1e16, and spells ``NaN``, ``Infinity``; ``py_repr`` fixes each of these. The
exponent's form (``1e-05``, ``1.5e+16``) and the digits are the same on both sides.
tests/lib/test_sql_rows.py compares the two on hostile and random values.

SQLite keeps the Python writers: ``on_postgresql`` says which path a connection takes.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator

from django.core.exceptions import EmptyResultSet
from django.db import NotSupportedError, connections, transaction
from django.db.models import Expression, Func, TextField

# Characters XML 1.0 forbids even escaped (lib.votable.INVALID_XML; PostgreSQL text holds no NUL),
# as a regular expression of both databases.
XML_FORBIDDEN = "[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
FETCH_ROWS = 5000  # rows a round trip: large, each a few hundred bytes at most
_cursor_names = itertools.count()


def on_postgresql(using: str = "default") -> bool:
    return connections[using].vendor == "postgresql"


def py_repr(x: str, pk: str) -> str:
    """SQL text of Python's ``repr`` of the float8 expression ``x`` (not NULL); from 1e16 on,
    ``unwritten(pk)``: there PostgreSQL's digits are not always the shortest (1e23 is
    ``9.999999999999999e+22``: its shortest-digits search excludes a bound that Python's
    includes; a short decimal lies on a bound only from 2**53 on), so Python writes the row."""
    t = f"({x})::text"
    digits = f"replace(replace(split_part({t}, 'e', 1), '-', ''), '.', '')"
    # 1e15 <= |x| < 1e16: PostgreSQL writes d.ddde+15, Python the 16 digits before the point
    # and the 17th (or 0) after it; a double has at most 17 significant digits.
    fixed15 = (
        f"CASE WHEN ({x}) < 0 THEN '-' ELSE '' END || rpad(left({digits}, 16), 16, '0') "
        f"|| '.' || coalesce(nullif(substr({digits}, 17), ''), '0')"
    )
    return (
        f"CASE WHEN ({x}) <> trunc({x}) AND abs({x}) < 1e15 THEN {t} "  # nearly every value
        f"WHEN abs({x}) < 1e15 THEN {t} || '.0' "  # integral, -0 too
        f"WHEN ({x}) = 'NaN'::float8 THEN 'nan' "  # PostgreSQL: NaN = NaN
        f"WHEN ({x}) = 'Infinity'::float8 THEN 'inf' "
        f"WHEN ({x}) = '-Infinity'::float8 THEN '-inf' "
        f"WHEN abs({x}) >= 1e16 THEN {unwritten(pk)} "
        f"ELSE {fixed15} END"
    )


# What lib.votable.text() changes (its NEEDS_CARE): markup, and what XML forbids.
NEEDS_CARE = "[&<>\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"


def xml_text(s: str) -> str:
    """SQL of lib.votable.text(): the characters XML forbids removed, then & < > escaped."""
    cleaned = f"regexp_replace({s}, '{XML_FORBIDDEN}', '', 'g')"
    escaped = f"replace(replace(replace({cleaned}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
    # Nearly every cell needs nothing: one scan to say so, not four to do nothing.
    return f"CASE WHEN {s} ~ '{NEEDS_CARE}' THEN {escaped} ELSE {s} END"


def markup_text(s: str) -> str:
    """SQL of lib.votable.text() for a text known to hold no character XML forbids (stored
    without them): only & < > to escape, found by strpos (a memchr each), not by a regex
    scan, which costs a long text a few nanoseconds a character."""
    escaped = f"replace(replace(replace({s}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
    return (
        f"CASE WHEN strpos({s}, '&') > 0 OR strpos({s}, '<') > 0 OR strpos({s}, '>') > 0 "
        f"THEN {escaped} ELSE {s} END"
    )


class RowText(Expression):
    """One text column written from others: ``template`` is SQL where ``{0}``, ``{1}``... stand
    for the compiled ``sources`` (Django expressions or field names, each as often as needed)."""

    output_field = TextField()

    def __init__(self, template: str, *sources) -> None:
        super().__init__()
        from django.db.models import F

        self.template = template
        self.sources = [F(s) if isinstance(s, str) else s for s in sources]

    def get_source_expressions(self):
        return self.sources

    def set_source_expressions(self, exprs) -> None:
        self.sources = list(exprs)

    def as_sql(self, compiler, connection):
        compiled = [compiler.compile(source) for source in self.sources]
        sql, params = [], []
        # Each {n} in turn, so that the params follow the SQL's order however often one is used.
        for index, piece in enumerate(re.split(r"\{(\d+)\}", self.template)):
            if index % 2:
                sql.append(f"({compiled[int(piece)][0]})")
                params.extend(compiled[int(piece)][1])
            else:
                sql.append(piece.replace("%", "%%"))
        return "".join(sql), params


class UtcSeconds(Func):
    """A date and time as ``datetime.isoformat(sep=" ", timespec="seconds")`` writes it in UTC
    (``2019-02-16 04:26:53+00:00``), NULL for NULL: written by the database, so that no
    datetime is parsed from the database's text and formatted back per row (on SQLite, two a
    row were a fifth of OiDB's answer). The portal stores its times in UTC (USE_TZ): SQLite
    holds them as ``YYYY-MM-DD HH:MM:SS[.ffffff]`` text, its first 19 characters the seconds."""

    output_field = TextField()

    def as_sql(
        self, compiler, connection, function=None, template=None, arg_joiner=None, **extra_context
    ):
        raise NotSupportedError("UtcSeconds is written for SQLite and PostgreSQL only")

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="substr(%(expressions)s, 1, 19) || '+00:00'"
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection,
            template="to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00:00'",
        )  # fmt: skip


def unwritten(pk: str) -> str:
    """SQL of the mark a row's text holds where the SQL cannot write it exactly: the row's
    primary key between two characters no written row holds (XML forbids them)."""
    return f"chr(1) || ({pk})::text || chr(2)"


UNWRITTEN = re.compile(rb"\x01(\d+)\x02")


def stream_text(
    queryset,
    expression: Expression,
    *,
    using: str = "default",
    fallback: Callable[[list[int]], dict[int, bytes]] | None = None,
) -> Iterator[bytes]:
    """The ``expression`` of each row of ``queryset`` (in its order), as the UTF-8 bytes the
    database sent, ``FETCH_ROWS`` rows a piece: nothing decoded, nothing built per cell.
    ``fallback`` writes, by primary key, the rare rows whose text holds ``unwritten``'s mark.

    A server-side cursor lives in a transaction: the generator holds one while it runs (the
    rows stay a consistent snapshot) and ends it when closed, even half-way (a client gone)."""
    # psycopg2 has no type hints (its stubs package would be one more pin for two calls).
    import psycopg2.extensions  # type: ignore[import-untyped]

    rows = queryset.annotate(_row_text=expression).values_list("_row_text", flat=True)
    try:
        sql, params = rows.query.get_compiler(using).as_sql()
    except EmptyResultSet:  # a selection Django knows is empty (MAXREC=0, pk__in=[])
        return
    connection = connections[using]
    with transaction.atomic(using=using):
        connection.ensure_connection()
        with connection.connection.cursor() as setting:
            # Shortest round-trip digits whatever the server's setting (PostgreSQL 12+).
            setting.execute("SET LOCAL extra_float_digits = 1")
            # No JIT: compiling a row's expression (hundreds of nodes) cost more than running
            # it: OiDB's 300,000-row answer took 10.2 s with it, 4.1 s without.
            setting.execute("SET LOCAL jit = off")
        name = f"jmdc_rows_{next(_cursor_names)}"
        with connection.connection.cursor(name=name) as cursor:
            psycopg2.extensions.register_type(psycopg2.extensions.BYTES, cursor)  # no decoding
            cursor.itersize = FETCH_ROWS
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(FETCH_ROWS):
                piece = b"".join([row[0] for row in batch])
                if fallback is not None and b"\x01" in piece:  # one memchr a batch
                    piece = _with_fallback([row[0] for row in batch], fallback)
                yield piece


def _with_fallback(texts: list[bytes], fallback) -> bytes:
    marked = {i: int(m.group(1)) for i, t in enumerate(texts) if (m := UNWRITTEN.search(t))}
    written = fallback(list(marked.values()))
    return b"".join(written[marked[i]] if i in marked else t for i, t in enumerate(texts))


class QueryRows:
    """The rows of ``queryset`` as the values of ``fields``: iterated, tuples for any writer
    (what ``values_list(...).iterator()`` gives); a writer that can have the database write its
    rows (PostgreSQL) asks ``written(template)`` instead and gets them as bytes."""

    def __init__(self, queryset, fields: list[str], chunk_size: int = 2000) -> None:
        self.queryset = queryset
        self.fields = fields
        self.chunk_size = chunk_size

    def __iter__(self) -> Iterator[tuple]:
        return self.queryset.values_list(*self.fields).iterator(chunk_size=self.chunk_size)

    @property
    def in_sql(self) -> bool:
        return on_postgresql(self.queryset.db)

    def written(self, template: str, write_row: Callable[[tuple], str]) -> Iterator[bytes]:
        """The rows as ``template`` writes them (``{0}``... the fields, then the row's key: the
        rows it marks ``unwritten`` are written by ``write_row`` from their values)."""
        model = self.queryset.model

        def in_python(pks: list[int]) -> dict[int, bytes]:
            rows = model._base_manager.filter(pk__in=pks).values_list(*self.fields, "pk")
            return {row[-1]: write_row(row[:-1]).encode() for row in rows}

        expression = RowText(template, *self.fields, "pk")
        return stream_text(self.queryset, expression, using=self.queryset.db, fallback=in_python)
