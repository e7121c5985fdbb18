"""ADQL refused in the user's words, or run read-only within MAXREC and the time limit."""

import pytest
from django.db import connection

from tests.vo.fixtures import catalogue_with_secrets
from vo.tap.engine import TapError, run_adql

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


def refusal(query, **limits) -> str:
    with pytest.raises(TapError) as raised:
        run_adql(query, maxrec=limits.get("maxrec", 100), timeout_seconds=limits.get("timeout", 5))
    return str(raised.value)


def test_a_syntax_error_names_its_line_and_column():
    assert refusal("SELECT ra\nFROM jmdc.stars\nWHERE ra >> 2").startswith(
        "line 3, column 11: syntax error at '>'."
    )


def test_an_unknown_table_is_refused_by_name():
    message = refusal("SELECT usename FROM pg_catalog.pg_user")
    assert message.startswith("Table pg_catalog.pg_user is not published by this service")
    assert "jmdc.measurements" in message


def test_a_table_without_its_schema_is_refused_saying_how_to_name_it():
    assert refusal("SELECT a FROM nowhere") == (
        "The query cannot be read: Missing schema specification. (name each table with its "
        "schema: jmdc.measurements)."
    )


def test_a_second_statement_after_a_semicolon_is_refused_not_dropped():
    assert refusal("SELECT ra FROM jmdc.stars; DROP TABLE jmdc.stars").startswith(
        "Only one query at a time: the text after the ';' at character 26 would be ignored."
    )
    # A ';' in a string, or one closing the only statement, is no second statement.
    catalogue_with_secrets()
    assert run_adql("SELECT main_id FROM jmdc.stars WHERE main_id = 'a;b';", maxrec=5,
                    timeout_seconds=5).rows == []  # fmt: skip


def test_an_unknown_column_is_refused_by_name():
    assert refusal("SELECT embargo_until FROM jmdc.measurements") == (
        "Column embargo_until is not in jmdc.measurements: see /tap/tables for its columns."
    )


def test_an_unknown_function_is_refused():
    assert refusal("SELECT pg_sleep(5) FROM jmdc.stars").startswith(
        "Function pg_sleep is not known to this service's ADQL"
    )


@pytest.mark.parametrize("write", ["INSERT INTO jmdc.stars VALUES (1)", "DELETE FROM jmdc.stars",
                                   "DROP TABLE jmdc.stars"])  # fmt: skip
def test_a_write_is_refused_and_changes_nothing(write):
    catalogue_with_secrets()
    verb = write.split()[0]
    assert refusal(write) == (
        f"line 1, column 1: {verb} is refused: TAP queries only read (SELECT); the published "
        "tables cannot be changed."
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM jmdc.stars")
        assert cursor.fetchone()[0] == 2


def test_more_rows_than_maxrec_are_cut_and_flagged():
    catalogue_with_secrets()
    result = run_adql("SELECT main_id FROM jmdc.measurements ORDER BY main_id", maxrec=1,
                      timeout_seconds=5)  # fmt: skip
    assert result.rows == [("* alf Lyr",)]
    assert result.overflow
    result = run_adql("SELECT main_id FROM jmdc.measurements", maxrec=2, timeout_seconds=5)
    assert len(result.rows) == 2 and not result.overflow


def test_a_query_past_the_time_limit_is_stopped_with_what_to_do():
    slow = ("SELECT COUNT(*) AS n FROM TAP_SCHEMA.columns AS a, TAP_SCHEMA.columns AS b, "
            "TAP_SCHEMA.columns AS c, TAP_SCHEMA.columns AS d")  # fmt: skip
    assert refusal(slow, timeout=0.2) == (
        "The query ran past the time limit of 0.2 seconds and was stopped: narrow it (TOP, a "
        "smaller region, fewer joins) or run it as an asynchronous job (/tap/async), which "
        "may run longer."
    )
    # The connection is usable afterwards, without the time limit.
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


def test_a_geometry_in_select_is_refused_with_what_to_select_instead():
    catalogue_with_secrets()
    assert refusal("SELECT POINT('ICRS', ra, dec) AS p FROM jmdc.stars").startswith(
        "Column p is a geometry (POINT, CIRCLE ...), which this service cannot return"
    )


def test_a_cone_keeps_the_published_columns_facts():
    catalogue_with_secrets()
    result = run_adql(
        "SELECT main_id, ld_diam FROM jmdc.measurements WHERE 1 = CONTAINS("
        "POINT('ICRS', ra, dec), CIRCLE('ICRS', 279.2347, 38.7837, 0.1))",  # Vega
        maxrec=10, timeout_seconds=5,
    )  # fmt: skip
    assert result.rows == [("* alf Lyr", 3.28)]
    ld = result.columns[1]
    assert (ld.name, ld.datatype, ld.unit, ld.ucd) == (
        "ld_diam",
        "double",
        "mas",
        "phys.angSize;src",
    )


def test_the_query_runs_as_the_reader_role_that_cannot_see_the_model_tables():
    # The reader role reads the published schemas only: the model tables stay out of reach
    # even for SQL that the checks would let through.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_table_privilege('jmdc_tap_reader', 'jmdc_measurement', 'SELECT')"
        )
        assert cursor.fetchone()[0] is False
        cursor.execute(
            "SELECT has_table_privilege('jmdc_tap_reader', 'jmdc.measurements', 'SELECT')"
        )
        assert cursor.fetchone()[0] is True


def test_the_tap_query_the_send_menu_offers_for_a_selection_runs_and_selects_the_same_rows():
    # The catalogue's SAMP menu shows this ADQL for the reader's filters (jmdc.exports.adql_of):
    # it must run on /tap and give the rows the page shows.
    from django.http import QueryDict

    from jmdc.exports import adql_of

    vega, *_ = catalogue_with_secrets()
    query = QueryDict(
        "identifier=HD172&method=1&ld_diam_min=3&ld_diam_max=4&sinpe=false", mutable=False
    )
    adql = adql_of(query)
    assert "ILIKE" in adql and "sinpe" in adql, adql
    result = run_adql(adql, maxrec=10, timeout_seconds=5)
    ids = [row[[c.name for c in result.columns].index("measurement_id")] for row in result.rows]
    assert ids == [vega.pk]
