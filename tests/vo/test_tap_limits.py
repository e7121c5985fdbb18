"""What a TAP query may cost before the database sees it: its length and the nesting of its
parentheses are bounded before ADQL is parsed, and whatever the parser trips on is a
refusal in words, never a 500; and what the published functions leave out stays out."""

# ruff: noqa: S608 - the strings built here are ADQL sent to the service, not SQL run here

import pytest

from vo.tap.engine import TapError, run_adql

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


def refusal(query: str) -> str:
    with pytest.raises(TapError) as raised:
        run_adql(query, maxrec=100, timeout_seconds=5)
    return str(raised.value)


def nested(depth: int) -> str:
    return "SELECT " + "(" * depth + "ld_diam" + ")" * depth + " AS d FROM jmdc.measurements"


def test_parentheses_nested_past_the_limit_are_refused_before_the_parser_spends_seconds():
    # 8 s in queryparser on the development machine, unbounded: refused by counting alone.
    assert refusal(nested(18)) == (
        "The query nests parentheses 18 deep (at character 25); this service reads at most 8 "
        "levels. Remove parentheses that group nothing, or split the expression."
    )


def test_parentheses_inside_a_string_do_not_count_and_a_query_at_the_limit_runs(settings):
    query = nested(settings.TAP_QUERY_MAX_NESTING).replace("FROM", ", '((((((((' AS s FROM")
    assert run_adql(query, maxrec=10, timeout_seconds=5).columns[0].name == "d"


def test_a_query_longer_than_the_limit_is_refused_naming_the_limit(settings):
    settings.TAP_QUERY_MAX_CHARACTERS = 100
    query = "SELECT id1 FROM jmdc.measurements WHERE id1 IN (" + ", ".join(["'HD 1'"] * 20) + ")"
    assert refusal(query) == (
        f"The query is {len(query)} characters long; this service reads queries of at most 100 "
        "characters. Shorten it (fewer literal values: a range, or a join)."
    )


def test_nesting_deep_enough_to_exhaust_the_parsers_recursion_is_a_votable_error_not_a_500(
    client, settings
):
    settings.TAP_QUERY_MAX_NESTING = 1000  # past the bound, as an operator might set it
    query = "SELECT id1 FROM jmdc.measurements WHERE " + "(" * 40 + "ld_diam > 1" + ")" * 40
    response = client.post("/tap/sync", {"LANG": "ADQL", "QUERY": query})
    assert response.status_code == 200
    assert b'name="QUERY_STATUS" value="ERROR"' in response.content
    assert b"nested too deeply to be read" in response.content


@pytest.mark.parametrize(
    "function",
    ["set_config('role', 'postgres', false)", "query_to_xml('SELECT 1', true, true, '')"],
)
def test_functions_that_could_change_the_role_or_read_any_table_are_refused(function):
    # The reader role could execute them (PostgreSQL grants them to PUBLIC), and set_config
    # could even set the role back to the session's: only the engine's list of known functions
    # keeps them out, so this holds that list to it.
    name = function.split("(")[0]
    assert refusal(f"SELECT {function} AS x FROM jmdc.stars").startswith(
        f"Function {name} is not known to this service's ADQL"
    )
