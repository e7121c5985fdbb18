"""ADQL refused in the user's words, or run read-only within MAXREC and the time limit."""

import pytest
from django.db import connection

from tests.builders import measurement
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


@pytest.mark.parametrize(
    "filters",
    [
        "identifier=HD172&method=1&ld_diam_min=3&ld_diam_max=4&sinpe=false",
        "identifier=HD 172167",  # a space: the page ignores blanks, ILIKE did not
        "identifier=hd 0172167",  # the same designation written otherwise
        "identifier=alf Lyr",  # an alias of a merged star
        "identifier=HD",  # a fragment of every name
        "identifier=nobody",
        "method=1&ld_diam_min=2&ld_diam_max=3.5",
        "identifier=HD 10700&bandcode=7",
    ],
)
def test_the_tap_query_the_send_menu_offers_for_a_selection_runs_and_selects_the_same_rows(
    filters,
):
    # The catalogue's SAMP menu shows this ADQL for the reader's filters (jmdc.exports.adql_of):
    # it must run on /tap and give the rows the page shows an anonymous reader.
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict

    from jmdc.exports import adql_of, selection
    from jmdc.models import StarAlias

    vega, *_ = catalogue_with_secrets()
    # Vega measured under another name, merged into Vega's star: the page finds it by alias.
    other = measurement(id1="alf Lyr", ld_diam=3.3, band="H", bandcode=7)
    StarAlias.objects.create(star_id=vega.star_id, name="alf Lyr")
    type(other).objects.filter(pk=other.pk).update(star_id=vega.star_id)
    query = QueryDict(filters, mutable=False)
    adql = adql_of(query)
    page = sorted(selection(query, AnonymousUser()).values_list("pk", flat=True))
    result = run_adql(adql, maxrec=100, timeout_seconds=5)
    names = [c.name for c in result.columns]
    ids = sorted(row[names.index("measurement_id")] for row in result.rows)
    assert ids == page, adql
    if "sinpe" in filters:
        assert "sinpe = 0" in adql
    assert page or filters == "identifier=nobody"


def rows(query, maxrec=100):
    return run_adql(query, maxrec=maxrec, timeout_seconds=5).rows


VEGA_POINT = "POINT('ICRS', 279.2347, 38.7837)"


@pytest.mark.parametrize(
    "where",
    [
        f"DISTANCE(POINT('ICRS', ra, dec), {VEGA_POINT}) < 10",
        f"DISTANCE(POINT('ICRS', ra, dec), {VEGA_POINT}) <= 10",
        f"10 > DISTANCE(POINT('ICRS', ra, dec), {VEGA_POINT})",
        "1 = CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 279.2347, 38.7837, 10))",
        "CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 279.2347, 38.7837, 10)) = 1",
        "1 = CONTAINS(POINT('ICRS', ra, dec), BOX('ICRS', 279.2347, 38.7837, 2, 2))",
        "1 = CONTAINS(POINT('ICRS', ra, dec), POLYGON('ICRS', 278, 38, 281, 38, 280, 40))",
    ],
)
def test_the_adql_cone_forms_find_vega_and_not_tau_ceti(where):
    # DISTANCE(...) < r is ADQL 2.1's cone: queryparser writes it as spoint_dwithin, which
    # the service must both allow and have (pgsphere 1.2 lacks it).
    catalogue_with_secrets()
    query = "SELECT main_id FROM jmdc.stars WHERE " + where  # noqa: S608 (ADQL under test)
    assert rows(query) == [("* alf Lyr",)]


def test_adql_math_functions_run_on_doubles():
    catalogue_with_secrets()
    (row,) = rows(
        "SELECT ROUND(ra, 2), TRUNCATE(ra, 1), ROUND(ra), LOG(100.0), LOG10(100.0), "
        "RAND() - RAND(), main_id || ' (' || sp_type || ')' FROM jmdc.stars WHERE ra > 200"
    )
    assert row[:3] == (279.23, 279.2, 279.0)
    assert (round(float(row[3]), 5), float(row[4])) == (4.60517, 2.0)
    assert -1 <= row[5] <= 1
    assert row[6] == "* alf Lyr (A0Va)"


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("SELECT UPPER(main_id) FROM jmdc.stars", "the function UPPER is not supported"),
        ("SELECT LOWER(main_id) FROM jmdc.stars", "the function LOWER is not supported"),
        ("SELECT CAST(ra AS INTEGER) FROM jmdc.stars", "the function CAST is not supported"),
        ("SELECT COALESCE(main_id, '-') FROM jmdc.stars", "the function COALESCE is not supported"),
        ("SELECT CASE WHEN ra > 1 THEN 1 ELSE 0 END FROM jmdc.stars",
         "CASE expressions are not supported"),
    ],
)  # fmt: skip
def test_adql_the_parser_cannot_read_is_said_to_be_the_services_limit(query, said):
    assert said in refusal(query)


def test_a_table_alias_e_is_read_as_a_name_not_an_exponent():
    catalogue_with_secrets()
    assert rows("SELECT TOP 2 e.exp_id FROM obsportal.exposures AS e ORDER BY e.exp_id") == [
        ("GRAVI.2026-01-01T01:00:00.000_0002",),
        ("PIONI.2019-03-21T03:14:15.123_0001",),
    ]
    result = run_adql("SELECT E.ra AS e, 1.5e1 AS x, 1.e+1 AS y FROM jmdc.stars E WHERE "
                      "main_id = 'e'", maxrec=5, timeout_seconds=5)  # fmt: skip
    assert [c.name for c in result.columns] == ["e", "x", "y"]


def test_obscores_s_region_is_refused_in_geometry_saying_it_is_not_published():
    for where in ["1 = INTERSECTS(s_region, CIRCLE('ICRS', 1, 2, 3))",
                  "1 = CONTAINS(POINT('ICRS', 1, 2), o.s_region)"]:  # fmt: skip
        query = "SELECT s_ra FROM ivoa.ObsCore AS o WHERE " + where  # noqa: S608 (ADQL)
        assert refusal(query).startswith("ivoa.ObsCore's s_region is not published")


def test_delimited_names_map_to_the_published_tables_or_are_refused_in_words():
    catalogue_with_secrets()
    assert rows('SELECT COUNT(*) FROM ivoa."ObsCore"') == [(2,)]
    assert rows('SELECT COUNT(*) FROM "TAP_SCHEMA"."schemas"') == [(4,)]
    assert refusal('SELECT s_ra FROM ivoa."OBSCORE"').startswith(
        "Table ivoa.OBSCORE is not published by this service: a name in double quotes is "
        "case-sensitive"
    )
    assert refusal('SELECT "RA" FROM jmdc.stars').startswith("Column RA does not exist")


def test_a_table_without_schema_or_a_with_clause_is_refused_in_words():
    # Beside a published table, queryparser lists the other without its schema (it said
    # "Table None.jmdc_measurement").
    assert refusal(
        "SELECT s.ra FROM jmdc.stars AS s JOIN jmdc_measurement AS m ON m.star_id = s.star_id"
    ).startswith("Table jmdc_measurement has no schema: name the table with its schema, one of")
    message = refusal("WITH a AS (SELECT ra FROM jmdc.stars) SELECT * FROM a")
    assert message == "The query cannot be read: WITH clause not supported."
