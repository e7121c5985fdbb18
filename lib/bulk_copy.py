"""Writing many rows of a model at once: COPY FROM STDIN on PostgreSQL, executemany on SQLite.

``bulk_create`` builds one INSERT of a few thousand parameters at a time and ``bulk_update``
one ``CASE WHEN`` per column and row (on 30 columns, slower than a save per row): on
PostgreSQL, COPY's text format takes the same rows several times faster (one stream, no
statement to parse per batch), and changed rows go through a temporary table and one
``UPDATE ... FROM``; on SQLite, one prepared statement runs once per row in C.

Rows are tuples of every concrete column of the model but the primary key (``Columns``), in
the model's field order, built from attribute values as ``save()`` would store them: every
field's own ``pre_save`` runs (a field derived from others is written wherever its sources
are), without building a model instance per row (``Model.__init__`` was most of the cost)."""

from __future__ import annotations

import datetime
import itertools
import json
import operator
from collections.abc import Iterable, Iterator, Sequence

import orjson
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models.base import ModelState
from django.db.models.options import Options

CHUNK_ROWS = 20_000  # rows per executemany on SQLite (COPY sends parts of PART_ROWS)
# orjson's types that json.dumps (so a save()) refuses: left to json.dumps
NATIVE_ONLY = (
    orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)
ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_escape = operator.methodcaller("translate", ESCAPES)


def _escaped(texts: list[str]) -> list[str]:
    """``texts`` escaped for COPY. Nearly every column holds no character to escape: a
    search of all its texts at once for each says so (a memchr), where translating each
    text costs a Python call per value (a dict lookup per character: translate has no
    fast path for it)."""
    every = "".join(texts)
    if not any(character in every for character in ("\\", "\t", "\n", "\r")):
        return texts
    return list(map(_escape, texts))


def copy_available() -> bool:
    return connection.vendor == "postgresql"


def with_derived(meta: Options, names: Iterable[str]) -> set[str]:
    """``names`` (attnames) and the attnames of the fields written from one of them: a field
    declares its ``sources`` (obsportal's baselines text, written from the baselines)."""
    given = set(names)
    return given | {
        f.attname for f in meta.concrete_fields if given.intersection(getattr(f, "sources", ()))
    }


class Columns:
    """Every concrete column of ``model`` but its primary key (left to the database), or
    only those of the attnames ``only`` and the fields written from them (an update of some
    columns), in the model's order."""

    def __init__(self, model: type[models.Model], only: Iterable[str] | None = None):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        if only is not None:
            wanted = with_derived(model._meta, only)
            unknown = wanted - {f.attname for f in self.fields}
            if unknown:
                raise ValueError(f"not columns of {model.__name__}: {', '.join(sorted(unknown))}")
            self.fields = [f for f in self.fields if f.attname in wanted]
        self.attnames = [f.attname for f in self.fields]
        # Fields whose pre_save does more than read the attribute (auto_now, a value derived
        # from other fields): the others are read from the attributes directly.
        self.derived = [f for f in self.fields if _derives(f)]
        self._row = operator.itemgetter(*self.attnames)

    def defaults(self) -> dict:
        """What a model instance holds for the fields it was not given."""
        return {f.attname: f.get_default() for f in self.fields}

    def row(self, values: dict, *, add: bool, defaults: dict | None = None) -> tuple:
        """The row ``save()`` would store for an instance of these attribute values (keyed
        by attname; those missing take ``defaults``)."""
        instance = self.model.__new__(self.model)  # attributes only: no per-field __init__
        instance._state = ModelState()
        instance._state.adding = add
        held = instance.__dict__
        held.update(self.defaults() if defaults is None else defaults)
        held.update(values)
        for field in self.derived:
            held[field.attname] = field.pre_save(instance, add)
        return self._row(held)


def _derives(field: models.Field) -> bool:
    """Whether ``field.pre_save`` may store other than the attribute's value."""
    own = type(field).pre_save
    if own is models.Field.pre_save:
        return False
    if own in (models.DateField.pre_save, models.DateTimeField.pre_save):
        # Django's dates write their own value for auto_now and auto_now_add alone.
        return field.auto_now or field.auto_now_add  # type: ignore[attr-defined]
    return True


def _text(field: models.Field, value) -> str:
    """A value as COPY's text format writes it: \\N for null, escaped backslashes and
    separators, JSON as its text, booleans as t/f."""
    if value is None:
        return "\\N"
    if isinstance(field, models.JSONField):
        text = json.dumps(value, cls=field.encoder)
    elif isinstance(value, bool):
        return "t" if value else "f"
    elif isinstance(value, float):
        # Every digit: the same double as an INSERT stores; and -0.0 as 0.0, as an INSERT
        # stores it too (psycopg2 sends -0.0 as a negated zero, SQLite keeps no sign).
        return float.__repr__(value + 0.0)
    elif isinstance(value, datetime.datetime | datetime.date):
        text = value.isoformat()
    else:
        text = str(value)
    return text.translate(ESCAPES)


def _column_texts(field: models.Field, values: list) -> Iterable[str]:
    """``_text`` of each value of one column. A column of one plain type is converted by a
    C function mapped over it, not a Python call per value: the same text, a fraction of
    the time."""
    kinds = set(map(type, values))
    if isinstance(field, models.JSONField):
        if field.encoder is None and type(None) not in kinds:
            # orjson: the same JSON value, compact, non-ASCII unescaped, in a tenth of json.dumps'
            # time. It writes NaN and infinities as null, where json.dumps writes NaN, which
            # PostgreSQL refuses (a save() fails): the headers' reader leaves none
            # (obsportal.headers._Reader.number and .card). Dates, dataclasses and subclasses,
            # which json.dumps refuses as a save() does, it leaves to json.dumps; it writes
            # UUIDs and enumerations, which json.dumps refuses (no exposure JSON holds one).
            try:
                return _escaped([orjson.dumps(v, option=NATIVE_ONLY).decode() for v in values])
            except orjson.JSONEncodeError:  # those, a key not a string, an integer beyond 64 bits
                return _escaped(list(map(json.dumps, values)))
    elif kinds == {float}:
        return (float.__repr__(v + 0.0) for v in values)  # as _text: -0.0 as 0.0
    elif kinds == {str}:
        return _escaped(values)
    elif kinds == {int}:  # not bool: its type is bool
        return map(int.__repr__, values)
    # Most other columns hold a few values (a date, a status) many times: each written once.
    # Keyed by type too: True == 1 == 1.0, but their texts differ. Floats are not kept (NaN).
    texts: dict = {}
    try:
        return [
            _text(field, v)
            if type(v) is float
            else texts.get((type(v), v)) or texts.setdefault((type(v), v), _text(field, v))
            for v in values
        ]
    except TypeError:  # an unhashable value
        return [_text(field, value) for value in values]


# Rows of COPY text built at a time: the server takes in one part while Python builds the
# next (psycopg2 sends each as it is read). On 2 cores new exposures went from 10,500 to 14,000
# rows/s with parts of 50 to 200 rows; 500 (two parts a batch, batches were 1,000) overlapped less.
PART_ROWS = 100


class _CopyText:
    """The COPY text of ``rows``, built a part at a time as ``copy_expert`` reads it: rows
    given as a generator are themselves made part by part, while the server takes in the
    part before. Counts the rows it has sent, and keeps what went wrong making one: psycopg2
    would report it as the COPY cancelled, without the error itself."""

    def __init__(self, columns: Columns, rows: Iterable[tuple]) -> None:
        self.columns, self.rows, self.count = columns, iter(rows), 0
        self.error: Exception | None = None

    def read(self, size: int = -1) -> str:  # a whole part, whatever the size asked
        try:
            part = list(itertools.islice(self.rows, PART_ROWS))
            self.count += len(part)
            return _copy_text(self.columns, part) if part else ""
        except Exception as error:
            self.error = error
            raise


def _copy_text(columns: Columns, rows: Sequence[tuple]) -> str:
    texts = [
        _column_texts(field, list(values))
        for field, values in zip(columns.fields, zip(*rows, strict=True), strict=True)
    ]
    return "\n".join(map("\t".join, zip(*texts, strict=True))) + "\n"


def _copy(table: str, columns: Columns, rows: Iterable[tuple]) -> int:
    """COPY ``rows`` into ``table``, in parts of PART_ROWS (so in bounded memory, however
    many); the count. Making the rows must not query the database: the connection is busy
    with the COPY."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(f.column) for f in columns.fields)}) FROM STDIN"
    text = _CopyText(columns, rows)
    with connection.cursor() as cursor:
        try:
            cursor.cursor.copy_expert(sql, text)  # psycopg2's cursor
        except Exception as cancelled:
            if text.error is not None:  # the caller's error, as SQLite's path raises it
                raise text.error from cancelled
            raise
    return text.count


def _rows_or_none(rows: Iterable[tuple]) -> Iterator[tuple] | None:
    """``rows`` as an iterator, or None when there is none (a generator cannot say so)."""
    rows = iter(rows)
    first = next(rows, None)
    return None if first is None else itertools.chain([first], rows)


def _chunks(rows: Iterator[tuple]) -> Iterator[list[tuple]]:
    while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
        yield chunk


def _db_values(columns: Columns, rows: Sequence[tuple]) -> list[tuple]:
    """The rows as the database driver takes them (get_db_prep_save), column by column;
    a column of plain strings and numbers is passed as it is, as Django would."""
    database = connections[DEFAULT_DB_ALIAS]  # not the proxy: its every attribute is a lookup
    plain = {str, int, float, type(None)}
    prepared: list[Sequence] = []
    for field, values in zip(columns.fields, zip(*rows, strict=True), strict=True):
        if isinstance(field, models.JSONField):
            prepared.append([field.get_db_prep_save(v, database) for v in values])
        elif set(map(type, values)) <= plain:
            prepared.append(values)
        else:  # a date: the batch's date many times, prepared once
            done: dict = {}
            prepared.append([
                done[v] if v in done else done.setdefault(v, field.get_db_prep_save(v, database))
                for v in values
            ])  # fmt: skip
    return list(zip(*prepared, strict=True))


def insert_rows(columns: Columns, rows: Iterable[tuple]) -> int:
    """Insert ``rows`` (of ``columns``; a generator is read as they are written, and must not
    query the database) in the caller's transaction; the count."""
    given = _rows_or_none(rows)
    if given is None:  # no statement for no row
        return 0
    if copy_available():
        return _copy(columns.model._meta.db_table, columns, given)
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in columns.fields)
    marks = ", ".join("%s" for _ in columns.fields)
    table = quote(columns.model._meta.db_table)
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - quoted names
    count = 0
    for chunk in _chunks(given):
        with connection.cursor() as cursor:
            cursor.executemany(sql, _db_values(columns, chunk))
        count += len(chunk)
    return count


def update_rows(columns: Columns, key: str, rows: Iterable[tuple]) -> int:
    """Set the ``columns`` (``key`` among them) of the rows whose unique field ``key`` matches
    one of ``rows`` (a generator is read as they are written) to that row's values, in the
    caller's transaction; the count of rows given."""
    given = _rows_or_none(rows)
    if given is None:
        return 0
    quote = connection.ops.quote_name
    table = quote(columns.model._meta.db_table)
    key_field = columns.model._meta.get_field(key)
    assert isinstance(key_field, models.Field)  # a concrete column, not a relation's other end
    if key_field not in columns.fields:
        raise ValueError(f"the rows must hold their key, {key}")
    key_column = quote(key_field.column)
    others = [quote(f.column) for f in columns.fields if f.name != key]
    # atomic: the temporary table's creation is undone with the rest when a step fails, even
    # when the caller forgot its transaction (a connection kept open would hold the table).
    with transaction.atomic(), connection.cursor() as cursor:
        if not copy_available():
            at = columns.attnames.index(key_field.attname)
            last = operator.itemgetter(*(i for i in range(len(columns.fields)) if i != at), at)
            sets = ", ".join(f"{c} = %s" for c in others)
            sql = f"UPDATE {table} SET {sets} WHERE {key_column} = %s"  # noqa: S608 - quoted names
            count = 0
            for chunk in _chunks(given):
                cursor.executemany(sql, list(map(last, _db_values(columns, chunk))))  # key last
                count += len(chunk)
            return count
        # A temporary table of the same column types, dropped here rather than ON COMMIT:
        # the caller's transaction may be an outer one (tests, a harvest's page) that writes
        # several batches before committing.
        temporary = quote("bulk_update_rows")
        every = ", ".join(quote(f.column) for f in columns.fields)
        cursor.execute(
            f"CREATE TEMPORARY TABLE {temporary} AS SELECT {every} FROM {table} WITH NO DATA"  # noqa: S608
        )
        count = _copy("bulk_update_rows", columns, given)
        # Its statistics, which a temporary table never gets otherwise: guessing its rows from
        # its pages, the planner took 5,000 wide rows for 25,000 and joined them by a hash of
        # the whole table (a scan that grows with it: 230-250 ms a batch at 30,000 exposures)
        # instead of a lookup by key per row (150 ms).
        cursor.execute(f"ANALYZE {temporary} ({key_column})")  # the key's: the count is what counts
        sets = ", ".join(f"{c} = new.{c}" for c in others)
        match = f"{table}.{key_column} = new.{key_column}"
        cursor.execute(f"UPDATE {table} SET {sets} FROM {temporary} AS new WHERE {match}")  # noqa: S608
        cursor.execute(f"DROP TABLE {temporary}")
    return count


def copy_in(model: type[models.Model], objects: Iterable[models.Model]) -> int:
    """Insert ``objects`` (unsaved instances of ``model``, primary keys left to the
    database), read as they are written, in the caller's transaction; the count."""
    columns = Columns(model)
    return insert_rows(
        columns, (tuple(f.pre_save(obj, add=True) for f in columns.fields) for obj in objects)
    )
