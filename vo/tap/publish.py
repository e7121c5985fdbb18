"""Creating the published tables in PostgreSQL: the views, TAP_SCHEMA and the reader role.

They are rebuilt after every ``migrate`` (post_migrate, see vo/apps.py) from
``vo.tap.tables`` and dropped before it (pre_migrate), rather than frozen in a migration:
a later migration that alters a model column is then never blocked by a view depending on
it, and the views always match the code that describes them.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connections, transaction

from vo.tap.tables import PubTable, published_schemas

logger = logging.getLogger(__name__)

READER_ROLE = "jmdc_tap_reader"
# The functions the translated ADQL calls that PostgreSQL lacks; first on the search path of
# a TAP query (engine.execute), of no other.
ADQL_FUNCTIONS_SCHEMA = "adql_functions"
# The schemas holding nothing but what this module creates (dropped whole before a migrate).
OWN_SCHEMAS = ("jmdc", "obsportal", "ivoa", "tap_schema", ADQL_FUNCTIONS_SCHEMA)

# ADQL's ROUND(x, n) and TRUNCATE(x, n) take a double; PostgreSQL's round and trunc with a
# number of digits take only numeric ("function round(double precision, integer) does not
# exist"): the same, through numeric and back.
ADQL_FUNCTIONS = tuple(
    f"CREATE FUNCTION {ADQL_FUNCTIONS_SCHEMA}.{name}(double precision, integer) "
    "RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    f"AS 'SELECT pg_catalog.{name}($1::numeric, $2)::double precision'"
    for name in ("round", "trunc")
)
# What queryparser writes for DISTANCE(...) < r and AREA(...), which pgsphere has from 1.3 on
# (Debian's postgresql-15-pgsphere is 1.2): created only where pgsphere lacks them. The
# distance is within r or on it: DISTANCE < r and <= r differ only for a point exactly at r.
PGSPHERE_FUNCTIONS = (
    ("spoint_dwithin", f"CREATE FUNCTION {ADQL_FUNCTIONS_SCHEMA}.spoint_dwithin(spoint, spoint, "
     "double precision) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE "
     "AS 'SELECT $1 <-> $2 <= $3'"),
    ("square_degrees", f"CREATE FUNCTION {ADQL_FUNCTIONS_SCHEMA}.square_degrees(double precision) "
     "RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE "
     "AS 'SELECT $1 * (180 / pi()) ^ 2'"),
)  # fmt: skip


def is_postgresql(using: str = "default") -> bool:
    return connections[using].vendor == "postgresql"


def drop_published_tables(using: str = "default") -> None:
    if not is_postgresql(using):
        return
    with connections[using].cursor() as cursor:
        for schema in OWN_SCHEMAS:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def view_sql(table: PubTable) -> str:
    columns = ", ".join(f"{column.sql} AS {column.name}" for column in table.columns)
    return f"CREATE VIEW {table.sql_name} AS SELECT {columns} {table.from_sql}"


TAP_SCHEMA_DDL = (
    "CREATE TABLE tap_schema.schemas (schema_name text PRIMARY KEY, utype text, "
    "description text, schema_index integer)",
    "CREATE TABLE tap_schema.tables (schema_name text, table_name text PRIMARY KEY, "
    "table_type text, utype text, description text, table_index integer)",
    "CREATE TABLE tap_schema.columns (table_name text, column_name text, datatype text, "
    'arraysize text, xtype text, "size" integer, description text, utype text, unit text, '
    "ucd text, indexed integer, principal integer, std integer, column_index integer, "
    "PRIMARY KEY (table_name, column_name))",
    "CREATE TABLE tap_schema.keys (key_id text PRIMARY KEY, from_table text, "
    "target_table text, description text, utype text)",
    "CREATE TABLE tap_schema.key_columns (key_id text, from_column text, target_column text)",
)


def tap_schema_rows() -> dict[str, list[tuple]]:
    """The rows of the five TAP_SCHEMA tables, from the one description."""
    rows: dict[str, list[tuple]] = {
        "schemas": [], "tables": [], "columns": [], "keys": [], "key_columns": [],
    }  # fmt: skip
    table_index = 0
    for schema_index, schema in enumerate(published_schemas()):
        rows["schemas"].append((schema.name, None, schema.description, schema_index))
        for table in schema.tables:
            table_index += 1
            kind = "table" if schema.name == "TAP_SCHEMA" else "view"
            rows["tables"].append(
                (schema.name, table.qualified, kind, table.utype or None, table.description,
                 table_index)
            )  # fmt: skip
            for column_index, column in enumerate(table.columns):
                size = int(column.arraysize) if (column.arraysize or "").isdigit() else None
                rows["columns"].append(
                    (table.qualified, column.name, column.datatype, column.arraysize,
                     column.xtype or None, size, column.description, column.utype or None,
                     column.unit or None, column.ucd or None, int(column.indexed),
                     int(column.principal), int(column.std), column_index)
                )  # fmt: skip
            for from_column, target, target_column in table.foreign_keys:
                key_id = f"{table.qualified}.{from_column}"
                rows["keys"].append(
                    (key_id, table.qualified, target, f"{from_column} points to {target}", None)
                )
                rows["key_columns"].append((key_id, from_column, target_column))
    return rows


def create_reader_role(cursor) -> bool:
    """The role queries run as (SET LOCAL ROLE): no login, SELECT on the published schemas
    only. Roles belong to the whole cluster, so another database may have created it first;
    a database user without CREATEROLE leaves the queries to the read-only transaction."""
    cursor.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
    (may_create,) = cursor.fetchone()
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [READER_ROLE])
    exists = cursor.fetchone() is not None
    if not may_create:
        if exists and reader_role_usable(cursor):
            return True
        logger.warning(
            "TAP queries run in a read-only transaction without the role %s: the database "
            "user may not create roles (give it CREATEROLE, or create the role by hand)",
            READER_ROLE,
        )
        return False
    if not exists:
        # Two databases of one cluster migrating at once may both try: the second finds it.
        cursor.execute(
            f"DO $$ BEGIN CREATE ROLE {READER_ROLE} NOLOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
    cursor.execute(f"GRANT {READER_ROLE} TO current_user")
    for schema in OWN_SCHEMAS:
        cursor.execute(f"GRANT USAGE ON SCHEMA {schema} TO {READER_ROLE}")
        cursor.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {READER_ROLE}")
    return True


def reader_role_usable(cursor) -> bool:
    cursor.execute(
        "SELECT pg_has_role(current_user, oid, 'MEMBER') FROM pg_roles WHERE rolname = %s",
        [READER_ROLE],
    )
    row = cursor.fetchone()
    return bool(row and row[0])


def create_published_tables(using: str = "default") -> None:
    """Create (again) the views, TAP_SCHEMA and the reader role. Idempotent."""
    if not is_postgresql(using):
        return
    drop_published_tables(using)
    try:
        with transaction.atomic(using=using):
            build(using)
    except DatabaseError as error:
        # A migrate to an earlier state (a test of an upgrade, a rollback) leaves tables the
        # code's description does not fit: TAP is then unavailable until the next migrate.
        logger.warning("TAP's published tables are not built (the database is not at the "
                       "code's migrations): %s", error)  # fmt: skip


def build(using: str) -> None:
    with connections[using].cursor() as cursor:
        for schema in OWN_SCHEMAS:
            cursor.execute(f"CREATE SCHEMA {schema}")
        for schema in published_schemas():
            for table in schema.tables:
                if table.from_sql:
                    cursor.execute(view_sql(table))
        for statement in TAP_SCHEMA_DDL:
            cursor.execute(statement)
        for statement in ADQL_FUNCTIONS:
            cursor.execute(statement)
        cursor.execute("SELECT to_regtype('spoint') IS NOT NULL")
        if cursor.fetchone()[0]:
            for name, statement in PGSPHERE_FUNCTIONS:
                cursor.execute("SELECT count(*) FROM pg_proc WHERE proname = %s", [name])
                if not cursor.fetchone()[0]:
                    cursor.execute(statement)
        for name, rows in tap_schema_rows().items():
            if rows:
                marks = ", ".join(["%s"] * len(rows[0]))
                # name: one of the five TAP_SCHEMA tables above; the values are parameters.
                insert = f"INSERT INTO tap_schema.{name} VALUES ({marks})"  # noqa: S608
                cursor.executemany(insert, rows)
        create_reader_role(cursor)
