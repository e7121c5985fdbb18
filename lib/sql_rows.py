"""Rows the database writes itself: on PostgreSQL one SELECT gives each row's whole text (a
VOTable ``<TR>`` or a CSV line), byte for byte what the Python writers write, streamed to the
client by a binary COPY as the bytes the database sent.

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

import os
import queue
import re
import socket
import threading
from collections.abc import Iterator
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import NotSupportedError, connections, transaction
from django.db.models import Expression, Func, TextField

# Characters XML 1.0 forbids even escaped (lib.votable.INVALID_XML; PostgreSQL text holds no NUL),
# as a regular expression of both databases.
XML_FORBIDDEN = "[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"


def on_postgresql(using: str = "default") -> bool:
    return connections[using].vendor == "postgresql"


def py_repr(x: str) -> str:
    """SQL text of Python's ``repr`` of the float8 expression ``x`` (not NULL); from 1e16 on,
    ``marked(x)``: there PostgreSQL's digits are not always the shortest (1e23 is
    ``9.999999999999999e+22``: its shortest-digits search excludes a bound that Python's
    includes; a short decimal lies on a bound only from 2**53 on), so Python writes the
    number from the digits, which read back to the same double (``stream_text``)."""
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
        f"WHEN abs({x}) >= 1e16 THEN {marked(x)} "
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


def marked(x: str) -> str:
    """SQL of a double that Python writes (``py_repr``): its round-trip digits after chr(1)
    and a double quote, before chr(2), which ``stream_text`` replaces by Python's ``repr``
    of the number. No text cell writes the same: a VOTable row holds no chr(1) (XML forbids
    it), a CSV text cell writes every double quote doubled."""
    return f"chr(1) || '\"' || ({x})::text || chr(2)"


# PostgreSQL's float8 text from 1e16 on: always with an exponent (it switches at 1e15).
MARK = re.compile(rb'\x01"(-?[0-9](?:\.[0-9]+)?e\+[0-9]+)\x02')


def _python_repr(mark: re.Match) -> bytes:
    return repr(float(mark.group(1))).encode()


def stream_text(
    queryset,
    expression: Expression,
    *,
    using: str = "default",
) -> Iterator[bytes]:
    """The ``expression`` of each row of ``queryset`` (in its order), as the UTF-8 bytes the
    database sent, about ``PIECE_BYTES`` a piece: nothing decoded, nothing built per cell.
    The rare doubles the SQL marks (``marked``) are written here, from the text alone: no
    query can run on the connection while the COPY holds it.

    The rows leave by ``COPY (SELECT ...) TO STDOUT``, not a server-side cursor: PostgreSQL
    runs a cursor's query without parallel workers (it may be suspended between fetches), a
    COPY with them, and on 2 cores OiDB's 300,000-row answer took 1.8 s by COPY, 2.6 s by
    FETCH. psycopg2 hands a COPY's rows to a file's ``write``, one call a row, until the last:
    a thread runs it (``_CopyRows``) and this generator takes its pieces, a few at most held.

    The rows are one snapshot in one transaction, held while the generator runs and ended
    when it is closed, even half-way (a client gone: the COPY is cancelled). While it runs,
    nothing else may use the connection (``_CopyRows``): the caller runs no query between
    two pieces."""
    rows = queryset.annotate(_row_text=expression).values_list("_row_text", flat=True)
    try:
        sql, params = rows.query.get_compiler(using).as_sql()
    except EmptyResultSet:  # a selection Django knows is empty (MAXREC=0, pk__in=[])
        return
    connection = connections[using]
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            # Shortest round-trip digits whatever the server's setting (PostgreSQL 12+).
            cursor.execute("SET LOCAL extra_float_digits = 1")
            # No JIT: compiling a row's expression (hundreds of nodes) cost more than running
            # it: OiDB's 300,000-row answer took 10.2 s with it, 4.1 s without.
            cursor.execute("SET LOCAL jit = off")
            # Binary: each row's text as it is, where the text format escapes \\, tabs and
            # newlines (every row holds one). The parameters bound by psycopg2 itself.
            copy = cursor.mogrify(f"COPY ({sql}) TO STDOUT (FORMAT binary)", params)
        with connection.execute_wrapper(_no_query), _CopyRows(connection, copy) as pieces:
            for texts in pieces:
                piece = b"".join(texts)
                if b"\x01" in piece:  # one memchr a piece
                    piece = MARK.sub(_python_repr, piece)
                yield piece


PIECE_BYTES = 1 << 20  # a piece to the client: large enough that a piece costs nothing
# A binary COPY: its signature, flags and header extension (0 bytes), then rows (PostgreSQL's
# "Binary Format" of COPY), then -1 as the field count.
_BINARY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)


def _no_query(execute, sql, params, many, context):
    raise RuntimeError(
        "A query ran on a connection that is streaming rows by COPY: read every piece of "
        "the rows (or close their generator) before querying again."
    )


def _first_field(message: bytes) -> bytes | None:
    """The text of a COPY message that is not a lone one-field row (``write``'s fast
    path): the file header before the first row is skipped, fields after the text (ORDER BY
    may add them) are passed over; None for the header alone and for the end. A message
    that is not exactly one row is an error, not a guess."""
    if message.startswith(_BINARY_SIGNATURE):
        message = message[len(_BINARY_SIGNATURE) :]
    if message in (b"", b"\xff\xff"):
        return None
    end = 2
    for _ in range(int.from_bytes(message[:2])):
        end += 4 + max(int.from_bytes(message[end : end + 4], signed=True), 0)  # NULL: -1
    if end != len(message) or len(message) < 6:
        raise ValueError(f"a COPY message that is not one row: {message[:40]!r}")
    if (length := int.from_bytes(message[2:6], signed=True)) < 0:
        raise ValueError("a row's text is NULL: the expression must write every row")
    return message[6 : 6 + length]


class _End(NamedTuple):
    """The thread's last item: the COPY ended, with this error or none."""

    error: BaseException | None


class _CopyRows:
    """The rows of a ``COPY ... TO STDOUT (FORMAT binary)`` of one text column, as lists of
    their texts, from a thread that runs psycopg2's ``copy_expert``. PostgreSQL sends each
    row as one message ("always one per row", the protocol's COPY-out), the first with the
    file header before it: ``write`` is called with one row's field count, length and text.

    The one rule: nothing else uses the connection until ``__exit__`` has returned. psycopg2
    reads a COPY without its connection lock: a query from the reading thread meanwhile
    would end the COPY or corrupt what libpq reads (hence no query for a marked double)."""

    JOIN_SECONDS = 10  # a cancelled COPY ends in milliseconds: after this, the socket is cut

    def __init__(self, connection, sql: bytes) -> None:
        self.connection = connection  # Django's: its errors are the ones the reader gets
        self.raw_connection = connection.connection
        self.sql = sql
        self.pieces: queue.Queue = queue.Queue(maxsize=2)  # the memory held: a few pieces
        self.stopped = threading.Event()
        self.copying = False  # copy_expert is running: a cancel has a statement to stop
        self.texts: list[bytes] = []
        self.size = 0
        self.thread = threading.Thread(target=self._run, name="copy-rows", daemon=True)

    def write(self, data: bytes) -> None:
        # Unsigned: a NULL's length (-1) cannot match, and goes the slow way to its error.
        if len(data) == int.from_bytes(data[2:6]) + 6:  # one field, nothing else: nearly all
            self.texts.append(data[6:])
        elif (text := _first_field(data)) is not None:
            self.texts.append(text)
        else:
            return
        self.size += len(data)
        if self.size >= PIECE_BYTES:
            self._put(self.texts)
            self.texts, self.size = [], 0

    def _put(self, item) -> None:
        while not self.stopped.is_set():  # once stopped nobody takes pieces: drop them
            try:
                self.pieces.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def _run(self) -> None:
        try:
            self.copying = True
            try:
                with self.raw_connection.cursor() as cursor:
                    # An error raised by write() leaves psycopg2 to read the COPY to its end.
                    cursor.copy_expert(self.sql, self)
            finally:
                self.copying = False
            if self.texts:
                self._put(self.texts)
            self._put(_End(None))
        except BaseException as error:  # handed to the reading thread, which raises it
            self._put(_End(error))

    def __enter__(self) -> Iterator[list[bytes]]:
        self.thread.start()
        return self._pieces()

    def _pieces(self) -> Iterator[list[bytes]]:
        while not isinstance(item := self.pieces.get(), _End):
            yield item
        if item.error is not None:
            with self.connection.wrap_database_errors:  # as any query's error
                raise item.error

    def __exit__(self, *exc_info) -> None:
        if not self.thread.is_alive():
            return
        self.stopped.set()  # the reader stopped early (a client gone, an error)
        if threading.current_thread() is self.thread:
            return  # a leaked generator collected by this thread: it cannot wait for itself
        try:
            if self.copying:  # the COPY ends with an error the thread swallows
                self.raw_connection.cancel()
        finally:
            self.thread.join(self.JOIN_SECONDS)
            if self.thread.is_alive():  # the cancel went unheard (a pooler): cut the socket,
                # the thread's read fails, and Django drops the connection on its rollback.
                with socket.socket(fileno=os.dup(self.raw_connection.fileno())) as copy:
                    copy.shutdown(socket.SHUT_RDWR)
                self.thread.join()


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

    def written(self, template: str) -> Iterator[bytes]:
        """The rows as ``template`` writes them (``{0}``, ``{1}``... the fields)."""
        expression = RowText(template, *self.fields)
        return stream_text(self.queryset, expression, using=self.queryset.db)
