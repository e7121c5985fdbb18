"""ADQL in, rows out: the one place where a TAP query meets the database.

queryparser (AIP's, as django-daiquiri uses it) translates ADQL 2.1 to PostgreSQL with
pgsphere; its PostgreSQL processor then re-reads the SQL it produced to list the tables,
columns and functions the query names, which must all be published (vo/tap/tables.py). The
query then runs in a read-only transaction, as a role that may only read the published
schemas (when the database user could create it), under a statement timeout, and is always
rolled back. The published views hold only public rows, so every caller is anonymous.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import psycopg2
from django.db import connection, transaction
from queryparser.adql import ADQLQueryTranslator
from queryparser.exceptions import QueryError, QuerySyntaxError
from queryparser.postgresql import PostgreSQLQueryProcessor

from vo.tap.limits import check_query_size, parser_faults
from vo.tap.publish import ADQL_FUNCTIONS_SCHEMA, READER_ROLE, reader_role_usable
from vo.tap.tables import PubColumn, published_schemas, published_tables

logger = logging.getLogger(__name__)


class TapError(Exception):
    """A query the service refuses, in the user's words ("line 1, column 8: ...")."""


@dataclass(frozen=True)
class ResultColumn:
    """What a VOTable FIELD needs."""

    name: str
    datatype: str
    arraysize: str | None
    unit: str
    ucd: str
    utype: str
    description: str
    xtype: str = ""


@dataclass
class Result:
    columns: list[ResultColumn]
    rows: list[tuple]
    overflow: bool  # more rows than MAXREC: DALI's INFO QUERY_STATUS=OVERFLOW


# The functions the translated SQL may call: ADQL 2.0's mathematical functions and
# aggregates, under the names queryparser writes them (LOG becomes LN, LOG10 LOG, TRUNCATE
# trunc, RAND random), and what it turns the geometry into (spoint, scircle ... pgsphere's
# constructors; spoint_dwithin for DISTANCE(...) < r; square_degrees for AREA). ADQL's string
# functions (UPPER, LOWER ...), CAST, COALESCE and CASE are absent: queryparser's grammar does
# not read them (syntax_message says so), and /tap/capabilities does not declare them.
KNOWN_FUNCTIONS = frozenset(
    [
        "abs",
        "ceiling",
        "degrees",
        "exp",
        "floor",
        "ln",
        "log",
        "log10",
        "mod",
        "pi",
        "power",
        "radians",
        "sqrt",
        "rand",
        "random",
        "round",
        "truncate",
        "trunc",
        "sin",
        "cos",
        "tan",
        "asin",
        "acos",
        "atan",
        "atan2",
        "cot",
        "count",
        "sum",
        "avg",
        "min",
        "max",
        "spoint",
        "scircle",
        "sbox",
        "spoly",
        "sline",
        "sellipse",
        "spath",
        "strans",
        "area",
        "square_degrees",
        "spoint_dwithin",
    ]
)
# ADQL 2.0 names the grammar of queryparser does not take: a syntax error on one of them is
# said to be this service's limit, not the user's mistake.
UNSUPPORTED_FUNCTIONS = frozenset(
    ["UPPER", "LOWER", "CAST", "COALESCE", "SUBSTRING", "CHAR_LENGTH", "OCTET_LENGTH", "TRIM",
     "POSITION", "NULLIF", "GREATEST", "LEAST", "CONCAT", "REPLACE", "IN_UNIT"]
)  # fmt: skip
# pgsphere's types: a value PostgreSQL returns as pgsphere's text, which is no ADQL geometry.
GEOMETRY_TYPES = frozenset({"spoint", "scircle", "sbox", "spoly", "sline", "sellipse", "spath"})
# PostgreSQL type OIDs of what the published tables and ADQL's expressions return.
TYPES_BY_OID = {
    16: ("boolean", None),
    20: ("long", None),
    21: ("short", None),
    23: ("int", None),
    700: ("float", None),
    701: ("double", None),
    1700: ("double", None),
    25: ("char", "*"),
    1043: ("char", "*"),
    1042: ("char", "*"),
    19: ("char", "*"),
}


def translate(query: str) -> str:
    """The query in PostgreSQL, or a TapError naming where it stops parsing."""
    if not query or not query.strip():
        raise TapError("The QUERY parameter is empty: give an ADQL query (SELECT ... FROM ...).")
    if (cut := second_statement(query)) is not None:
        # The translator keeps what comes before a ';' and drops the rest without a word.
        raise TapError(
            f"Only one query at a time: the text after the ';' at character {cut + 1} would be "
            "ignored. Send each query on its own."
        )
    check_query_size(query)  # before the parser spends its CPU on it (vo/tap/limits.py)
    try:
        sql = ADQLQueryTranslator(lone_e_delimited(query)).to_postgresql()
    except QuerySyntaxError as error:
        raise TapError(syntax_message(query, original_errors(query, error))) from None
    except QueryError as error:
        raise TapError(f"The query cannot be read: {messages_of(error).rstrip('.')}.") from None
    except Exception as error:  # the translator's own faults on odd input (an IndexError)
        raise TapError(
            f"The query cannot be translated ({error}): is it a single SELECT?"
        ) from None
    if not sql.lstrip().upper().startswith("SELECT"):
        raise TapError("Only SELECT queries are accepted: the tables are read-only.")
    return published_spelling(sql)


def original_errors(query: str, error: QuerySyntaxError) -> list:
    """The syntax errors of the query as the user wrote it (lone_e_delimited shifts columns)."""
    try:
        ADQLQueryTranslator(query).to_postgresql()
    except QuerySyntaxError as original:
        return original.syntax_errors
    except Exception:  # noqa: S110 (the rewritten query's errors are then the ones to give)
        pass
    return error.syntax_errors


def map_unquoted(text: str, change) -> str:
    """``change`` applied to the parts of ``text`` outside '...' strings and "..." names."""
    parts = re.split(r"""('(?:[^']|'')*'|"[^"]*")""", text)
    return "".join(part if index % 2 else change(part) for index, part in enumerate(parts))


# queryparser's lexer reads a lone e or E as the exponent of a number ("syntax error at 'e'"),
# so "FROM obsportal.exposures AS e" fails. Delimited, "e" is the same name to PostgreSQL (it
# folds the unquoted e and E to e), and the lexer reads it as a name. Not after a digit or a
# dot (1e5, 1.e+5 are numbers), nor inside strings and delimited names (map_unquoted).
LONE_E = re.compile(r"(?<![\w.])[eE](?![\w'])")


def lone_e_delimited(query: str) -> str:
    return map_unquoted(query, lambda part: LONE_E.sub('"e"', part))


def published_spelling(sql: str) -> str:
    """A delimited name of a published schema or table as /tap/tables spells it (ivoa."ObsCore",
    "TAP_SCHEMA".tables) is the view PostgreSQL holds under the folded name (ivoa.obscore)."""
    names = {
        spelled
        for schema in published_schemas()
        for spelled in (schema.name, *(table.name for table in schema.tables))
    }

    def unquote(match: re.Match) -> str:
        name = match.group(1)
        return name.lower() if name in names else match.group(0)

    parts = re.split(r"('(?:[^']|'')*')", sql)
    return "".join(
        part if index % 2 else re.sub(r'"([^"]+)"', unquote, part)
        for index, part in enumerate(parts)
    )


def second_statement(query: str) -> int | None:
    """Where a ';' outside quotes is followed by more text (a second statement), if any."""
    quote = None
    for position, char in enumerate(query):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == ";" and query[position + 1 :].strip(" \t\r\n;"):
            return position
    return None


def messages_of(error: QueryError) -> str:
    """queryparser gives its messages as a list, or as one string."""
    messages = error.messages
    return messages if isinstance(messages, str) else "; ".join(map(str, messages))


def syntax_message(query: str, errors: list) -> str:
    line, column, near = errors[0]
    lines = query.splitlines() or [""]
    # ANTLR counts columns from 0; people (and the TAP examples) count from 1.
    word = str(near).strip()
    first = query.strip().split(None, 1)[0].upper() if query.strip() else ""
    if line == 1 and column == 0 and first in WRITES:
        return (
            f"line 1, column 1: {first} is refused: TAP queries only read (SELECT); the "
            "published tables cannot be changed."
        )
    where = f"line {line}, column {column + 1}"
    if word in ("<EOF>", ";", ""):
        return f"{where}: the query ends too early; it is incomplete after '{lines[-1].strip()}'."
    if (unsupported := unsupported_near(lines, line, column)) is not None:
        return f"{where}: {unsupported}"
    return (
        f"{where}: syntax error at '{word}'. Check the ADQL there (a known function, a "
        "comma, quotes around strings)."
    )


def unsupported_near(lines: list[str], line: int, column: int) -> str | None:
    """What the grammar refuses at the error, when it is an ADQL feature this service's parser
    lacks (UPPER(...), CASE ...) rather than the user's mistake."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    after, before = text[column:], text[:column]
    name = re.match(r"([A-Za-z_]\w*)\s*\(", after) or re.search(r"([A-Za-z_]\w*)\s*\(\s*$", before)
    if name and name.group(1).upper() in UNSUPPORTED_FUNCTIONS:
        return (
            f"the function {name.group(1).upper()} is not supported by this service's ADQL "
            "(its parser, queryparser, does not read it); see the functions of "
            "/tap/capabilities."
        )
    if re.match(r"CASE\b", after, re.IGNORECASE):
        return (
            "CASE expressions are not supported by this service's ADQL (its parser, "
            "queryparser, does not read them)."
        )
    if after.startswith("||"):
        return (
            "the concatenation operator || is not supported by this service's ADQL (its "
            "parser, queryparser, does not read it there)."
        )
    return None


WRITES = frozenset(
    ["INSERT", "UPDATE", "DELETE", "DROP", "CREATE", "ALTER", "TRUNCATE", "GRANT", "COPY"]
)


def check_published(sql: str) -> PostgreSQLQueryProcessor:
    """Every table, column and function the SQL names is published or known."""
    processor = PostgreSQLQueryProcessor()
    # queryparser's PostgreSQL grammar stops at ||, which its ADQL translator wrote: the names
    # are listed from the same SQL with an arithmetic operator in its place (the query runs
    # with ||, the listing of names is the same).
    processor.set_query(map_unquoted(sql, lambda part: part.replace("||", " + ")))
    try:
        processor.process_query()
    except QuerySyntaxError as error:
        raise TapError(unknown_function_message(sql, error.syntax_errors[0])) from None
    except QueryError as error:
        raise TapError(
            f"The query cannot be read: {messages_of(error)} "
            "(name each table with its schema: jmdc.measurements)."
        ) from None
    tables = published_tables()
    named = []
    for schema, table in processor.tables:
        if not schema:
            raise TapError(
                f"Table {table} has no schema: name the table with its schema, one of "
                f"{', '.join(t.qualified for t in tables.values())} (see /tap/tables)."
            )
        qualified = f"{schema}.{table}"
        if qualified.lower() not in tables:
            raise TapError(
                f"Table {qualified} is not published by this service: the tables are "
                f"{', '.join(t.qualified for t in tables.values())} (see /tap/tables)."
            )
        named.append(tables[qualified.lower()])
    for schema, table, column in processor.columns:
        if column in (None, "*"):
            continue
        found = tables.get(f"{schema}.{table}".lower())
        # queryparser may pin an unqualified column of a join on the wrong table: a column
        # of any table the query reads is fine (PostgreSQL itself says if it is ambiguous).
        if not any(t.column(column) for t in [found, *named] if t is not None):
            where = found.qualified if found else f"{schema}.{table}"
            raise TapError(f"Column {column} is not in {where}: see /tap/tables for its columns.")
    for function in processor.functions:
        if function.lower() not in KNOWN_FUNCTIONS:
            raise TapError(f"Function {function} is not known to this service's ADQL.")
    if UNPUBLISHED_REGION.search(sql):
        raise TapError(
            "ivoa.ObsCore's s_region is not published (NULL in every row: the field of view of "
            "an interferometric exposure is not stated here), so it cannot be used in "
            "CONTAINS or INTERSECTS: search the pointing instead, 1 = CONTAINS(POINT('ICRS', "
            "s_ra, s_dec), CIRCLE('ICRS', ra, dec, radius))."
        )
    return processor


# s_region beside one of the pgsphere operators queryparser writes for CONTAINS (@, !@) and
# INTERSECTS (&&, !&&).
UNPUBLISHED_REGION = re.compile(
    r"""(?:\bs_region"?\s*!?(?:&&|@))|(?:(?:&&|@)\s*(?:\w+\.)?"?s_region\b)""", re.IGNORECASE
)


def unknown_function_message(sql: str, error: tuple) -> str:
    """ADQL's grammar lets any name be a (user-defined) function; PostgreSQL's then stops at
    its parenthesis: name the function rather than the parenthesis."""
    line, column, near = error
    text = sql.splitlines()[line - 1] if sql.splitlines() else sql
    if near == "(":
        name = re.findall(r"([A-Za-z_][A-Za-z0-9_]*)\s*$", text[:column])
        if name and name[0].lower() not in KNOWN_FUNCTIONS:
            return (
                f"Function {name[0]} is not known to this service's ADQL: see the language "
                "features of /tap/capabilities (ADQL's mathematical, string and geometry "
                "functions)."
            )
    return f"The query cannot be read near '{near}'."


def describe(processor: PostgreSQLQueryProcessor, description) -> list[ResultColumn]:
    """The result's FIELDs: a published column keeps its unit, UCD and description; an
    expression gets its type from the database."""
    tables = published_tables()
    sources: dict[str, PubColumn] = {}
    for alias, (schema, table, column) in processor.display_columns:
        found = tables.get(f"{schema}.{table}".lower())
        published = found.column(column) if found and column not in (None, "*") else None
        if published is not None and alias == column:
            sources[alias.lower()] = published
    star_tables = [
        tables[f"{schema}.{table}".lower()]
        for schema, table, column in processor.columns
        if column == "*" and f"{schema}.{table}".lower() in tables
    ]
    columns = []
    for item in description:
        name = item.name
        published = sources.get(name.lower())
        if published is None:
            published = next((c for t in star_tables if (c := t.column(name))), None)
        datatype, arraysize = TYPES_BY_OID.get(item.type_code, ("char", "*"))
        if published is not None and published.datatype == datatype:
            columns.append(
                ResultColumn(name, published.datatype, published.arraysize, published.unit,
                             published.ucd, published.utype, published.description,
                             published.xtype)
            )  # fmt: skip
        else:
            columns.append(ResultColumn(name, datatype, arraysize, "", "", "", ""))
    return columns


def run_adql(query: str, *, maxrec: int, timeout_seconds: float) -> Result:
    """Run one ADQL query and return at most ``maxrec`` rows.

    Raises TapError for every refusal: a query that does not parse, names a table, column or
    function that is not published, writes, selects a geometry, or runs past the time limit.
    """
    if connection.vendor != "postgresql":
        raise TapError(NEEDS_POSTGRESQL)
    sql = translate(query)
    with parser_faults():  # a RecursionError in the processor's parse is the query's fault
        processor = check_published(sql)
    try:
        with transaction.atomic():
            result = execute(sql.rstrip().rstrip(";"), processor, maxrec, timeout_seconds)
            # Nothing a query does is kept, and the SET LOCALs end with it.
            transaction.set_rollback(True)
    except psycopg2.errors.QueryCanceled:
        raise TapError(
            f"The query ran past the time limit of {timeout_seconds:g} seconds and was "
            "stopped: narrow it (TOP, a smaller region, fewer joins) or run it as an "
            "asynchronous job (/tap/async), which may run longer."
        ) from None
    except psycopg2.errors.ReadOnlySqlTransaction:
        raise TapError("The query tries to write: TAP queries only read.") from None
    except psycopg2.Error as error:
        raise TapError(database_refusal(error)) from None
    except Exception as error:
        cause = error.__cause__
        if isinstance(cause, psycopg2.errors.QueryCanceled):
            raise TapError(
                f"The query ran past the time limit of {timeout_seconds:g} seconds and was "
                "stopped: narrow it (TOP, a smaller region, fewer joins) or run it as an "
                "asynchronous job (/tap/async), which may run longer."
            ) from None
        if isinstance(cause, psycopg2.Error):
            raise TapError(database_refusal(cause)) from None
        raise
    return result


def database_refusal(error: psycopg2.Error) -> str:
    """What PostgreSQL refused, in the words of the ADQL the user wrote."""
    message = (error.pgerror or str(error)).strip().replace("ERROR:  ", "").splitlines()[0]
    if found := re.match(r'relation "(.+)" does not exist', message):
        return (
            f"Table {found.group(1)} is not published by this service: a name in double quotes "
            "is case-sensitive; write the table as /tap/tables names it (ivoa.ObsCore, "
            "jmdc.measurements), or without quotes."
        )
    if found := re.match(r'column "?(.+?)"? does not exist', message):
        return (
            f"Column {found.group(1)} does not exist: a name in double quotes is "
            "case-sensitive, and the published columns are in lower case (see /tap/tables)."
        )
    if found := re.match(r"(operator|function) does not exist: (.+)", message):
        return (
            f"The query applies {found.group(1)} {found.group(2)} to values of types it does "
            "not take (a text column where a number or a geometry is expected?): see the "
            "columns' datatypes in /tap/tables."
        )
    return f"The database refused the query: {message}"


def execute(sql: str, processor, maxrec: int, timeout_seconds: float) -> Result:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL transaction_read_only = on")
        cursor.execute("SELECT set_config('statement_timeout', %s, true)",
                       [str(max(1, int(timeout_seconds * 1000)))])  # fmt: skip
        # ADQL's ROUND(x, n), TRUNCATE(x, n) on doubles and what older pgsphere lacks
        # (publish.ADQL_FUNCTIONS) are found first, for this query only.
        cursor.execute(
            "SELECT set_config('search_path', %s || ', ' || current_setting('search_path'), true)",
            [ADQL_FUNCTIONS_SCHEMA],
        )
        if reader_role_usable(cursor):
            cursor.execute(f"SET LOCAL ROLE {READER_ROLE}")
        else:
            logger.info("TAP query without the role %s (read-only transaction only)", READER_ROLE)
    # A server-side cursor: only maxrec + 1 rows ever leave the database.
    named = connection.connection.cursor(name="tap_query")
    try:
        named.itersize = min(maxrec + 1, 2000)
        named.execute(sql)
        rows = named.fetchmany(maxrec + 1)
        description = named.description
    finally:
        named.close()
    refuse_geometry(description)
    return Result(
        columns=describe(processor, description),
        rows=[tuple(row) for row in rows[:maxrec]],
        overflow=len(rows) > maxrec,
    )


def refuse_geometry(description) -> None:
    oids = {item.type_code for item in description} - set(TYPES_BY_OID)
    if not oids:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT oid, typname FROM pg_type WHERE oid = ANY(%s)", [list(oids)])
        names = dict(cursor.fetchall())
    for item in description:
        if names.get(item.type_code) in GEOMETRY_TYPES:
            raise TapError(
                f"Column {item.name} is a geometry (POINT, CIRCLE ...), which this service "
                "cannot return as a value: select the coordinates themselves (ra, dec), or "
                "DISTANCE(...), and keep geometries inside CONTAINS or INTERSECTS in WHERE."
            )


NEEDS_POSTGRESQL = (
    "TAP needs PostgreSQL (with pgsphere): this portal runs on SQLite, where ADQL cannot be "
    "translated. Set DATABASE_URL to a PostgreSQL database to serve TAP."
)
