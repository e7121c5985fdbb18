"""TAP over HTTP: /tap/sync's parameters, formats and errors (a VOTable with HTTP 200, never a
500), the VOSI documents; on SQLite, every endpoint says TAP needs PostgreSQL."""

import csv
import io
import json

import pytest
from astropy.io.votable import parse_single_table
from astropy.io.votable.table import parse

from tests.vo.fixtures import catalogue_with_secrets

ENDPOINTS = ["/tap/sync", "/tap/capabilities", "/tap/tables", "/tap/examples"]
NEEDS_PG = "TAP needs PostgreSQL (with pgsphere)"


def status_of(body: bytes):
    """(QUERY_STATUS value, its text) of a VOTable answer."""
    votable = parse(io.BytesIO(body))
    info = next(i for i in votable.resources[0].infos if i.name == "QUERY_STATUS")
    return info.value, (info.content or "")


@pytest.mark.sqlite
@pytest.mark.django_db
@pytest.mark.parametrize("path", ENDPOINTS)
def test_on_sqlite_every_tap_endpoint_says_it_needs_postgresql(client, path):
    response = client.get(path, {"LANG": "ADQL", "QUERY": "SELECT * FROM jmdc.stars"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-votable+xml"
    value, text = status_of(response.content)
    assert value == "ERROR" and text.startswith(NEEDS_PG)


@pytest.mark.sqlite
@pytest.mark.django_db
def test_on_sqlite_availability_says_unavailable_and_why(client):
    response = client.get("/tap/availability")
    assert b"<vosi:available>false</vosi:available>" in response.content
    assert NEEDS_PG.encode() in response.content


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.postgresql
@pytest.mark.django_db
def test_sync_answers_a_query_by_get_and_post_with_case_insensitive_names(client, method):
    catalogue_with_secrets()
    response = getattr(client, method)("/tap/sync", {
        "request": "doQuery", "lang": "ADQL", "query": "SELECT main_id FROM jmdc.stars "
        "ORDER BY main_id", "MaxRec": "1",
    })  # fmt: skip
    assert response.status_code == 200
    table = parse_single_table(io.BytesIO(response.content)).to_table(use_names_over_ids=True)
    assert list(table["main_id"]) == ["* alf Lyr"]
    assert b'<INFO name="QUERY_STATUS" value="OVERFLOW"/>' in response.content


@pytest.mark.postgresql
@pytest.mark.django_db
def test_an_unknown_parameter_is_reported_as_a_warning(client):
    response = client.get("/tap/sync", {"LANG": "ADQL", "QUERY": "SELECT TOP 1 ra FROM jmdc.stars",
                                        "COLOUR": "red"})  # fmt: skip
    assert b'name="WARNING" value="Parameter not known to this service, ignored: COLOUR"' in (
        response.content
    )


@pytest.mark.postgresql
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"LANG": "ADQL", "QUERY": "SELECT ra FROM nowhere.t"},
         "Table nowhere.t is not published by this service"),
        ({"LANG": "SQL", "QUERY": "SELECT 1"}, "LANG=SQL is not known"),
        ({"QUERY": "SELECT ra FROM jmdc.stars"}, "LANG is missing"),
        ({"LANG": "ADQL"}, "QUERY is missing"),
        ({"LANG": "ADQL", "QUERY": "SELECT ra FROM jmdc.stars", "MAXREC": "many"},
         "MAXREC must be a whole number of rows, not 'many'."),
        ({"LANG": "ADQL", "QUERY": "SELECT ra FROM jmdc.stars", "FORMAT": "fits"},
         "Unknown output format 'fits'"),
        ({"LANG": "ADQL", "QUERY": "SELECT ra FROM jmdc.stars", "REQUEST": "getCapabilities"},
         "REQUEST=getCapabilities is not known"),
        ({"LANG": "ADQL", "QUERY": "SELECT ra FROM jmdc.stars", "VERSION": "1.2"},
         "VERSION=1.2 is not a TAP version this service speaks: VERSION is the protocol's "
         "version (1.0 or 1.1). For a VOTable version, ask RESPONSEFORMAT="),
    ],
)  # fmt: skip
def test_a_refused_query_is_a_votable_error_with_http_200(client, params, message):
    response = client.get("/tap/sync", params)
    assert response.status_code == 200
    value, text = status_of(response.content)
    assert value == "ERROR" and text.startswith(message), text


@pytest.mark.postgresql
@pytest.mark.django_db
def test_results_come_as_csv_and_json_with_the_datalink_made_absolute(client):
    catalogue_with_secrets()
    query = "SELECT obs_id, access_url FROM ivoa.ObsCore WHERE instrument_name = 'PIONIER'"
    response = client.get("/tap/sync", {"LANG": "ADQL", "QUERY": query, "FORMAT": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["obs_id", "access_url"], [
        "PIONI.2019-03-21T03:14:15.123_0001",
        "http://testserver/datalink/links?ID=ivo%3A%2F%2Fjmmc.fr%2Fjmdc%2Fexposure%3F"
        "PIONI.2019-03-21T03%3A14%3A15.123_0001",
    ]]  # fmt: skip
    response = client.get("/tap/sync", {"LANG": "ADQL", "QUERY": query, "RESPONSEFORMAT": "json"})
    document = json.loads(response.content)
    assert document["data"][0][0] == "PIONI.2019-03-21T03:14:15.123_0001"
    assert document["columns"][1]["ucd"] == "meta.ref.url"


@pytest.mark.postgresql
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "namespace", "data"),
    [
        ({}, b"http://www.ivoa.net/xml/VOTable/v1.3", b"<TABLEDATA>"),
        ({"RESPONSEFORMAT": "application/x-votable+xml;version=1.2"},
         b"http://www.ivoa.net/xml/VOTable/v1.2", b"<TABLEDATA>"),
        # DALI's VERSION is TAP's, not the VOTable's: 1.0 and 1.1 are both answered.
        ({"VERSION": "1.0"}, b"http://www.ivoa.net/xml/VOTable/v1.3", b"<TABLEDATA>"),
        ({"VERSION": "1.1", "RESPONSEFORMAT": "application/x-votable+xml;version=1.2"},
         b"http://www.ivoa.net/xml/VOTable/v1.2", b"<TABLEDATA>"),
        ({"RESPONSEFORMAT": "application/x-votable+xml;version=1.1"},
         b"http://www.ivoa.net/xml/VOTable/v1.1", b"<TABLEDATA>"),
        ({"RESPONSEFORMAT": "votable/b2"}, b"http://www.ivoa.net/xml/VOTable/v1.3", b"<BINARY2>"),
    ],
)  # fmt: skip
def test_the_votable_version_and_serialization_are_the_clients_choice(
    client, params, namespace, data
):
    catalogue_with_secrets()
    response = client.get(
        "/tap/sync", {"LANG": "ADQL", "QUERY": "SELECT ra, main_id FROM jmdc.stars", **params}
    )
    assert namespace in response.content and data in response.content
    table = parse_single_table(io.BytesIO(response.content)).to_table(use_names_over_ids=True)
    assert sorted(table["main_id"]) == ["* alf Lyr", "* tau Cet"]


@pytest.mark.postgresql
@pytest.mark.django_db
def test_capabilities_declare_obscore_adql_and_the_limits(client, settings):
    settings.TAP_MAXREC_HARD = 1234
    content = client.get("/tap/capabilities").content
    assert b'<dataModel ivo-id="ivo://ivoa.net/std/ObsCore#core-1.1">' in content
    assert b'<version ivo-id="ivo://ivoa.net/std/ADQL#v2.1">2.1</version>' in content
    assert b"<feature><form>CONTAINS</form></feature>" in content
    assert b'<hard unit="row">1234</hard>' in content


@pytest.mark.postgresql
@pytest.mark.django_db
def test_tables_and_availability_describe_the_service(client):
    tables = client.get("/tap/tables").content
    assert b"<name>ivoa.ObsCore</name>" in tables and b"<name>jmdc.measurements</name>" in tables
    assert b"<unit>mas</unit><ucd>phys.angSize;src</ucd>" in tables
    one = client.get("/tap/tables/jmdc.stars")
    assert one.status_code == 200 and b"<name>jmdc.stars</name>" in one.content
    assert client.get("/tap/tables/jmdc.secrets").status_code == 404
    assert b"<vosi:available>true</vosi:available>" in client.get("/tap/availability").content


@pytest.mark.postgresql
@pytest.mark.django_db
@pytest.mark.parametrize("version", ["1.1", "1.2", "1.3", "1.4"])
def test_null_integers_are_valid_in_every_votable_version(client, version):
    # Before 1.3 an empty cell is no integer null: astropy wrote NaN (W31) without a VALUES
    # null; each version's document must validate against its schema and read back its nulls.
    from tests.votables import assert_valid, parse

    catalogue_with_secrets()
    response = client.get("/tap/sync", {
        "LANG": "ADQL", "RESPONSEFORMAT": f"application/x-votable+xml;version={version}",
        "QUERY": "SELECT obs_id, access_estsize, calib_level, s_xel1 FROM ivoa.ObsCore "
        "ORDER BY obs_id",
    })  # fmt: skip
    assert b"NaN" not in response.content
    assert_valid(response.content, version)
    table = parse(response.content).get_first_table().to_table(use_names_over_ids=True)
    assert list(table["calib_level"]) == [0, 0]
    assert table["access_estsize"].mask.all() and table["s_xel1"].mask.all()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/tap", "/tap/"])
def test_the_tap_base_url_in_a_browser_says_what_the_service_is(client, path):
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Table Access Protocol" in page
    assert 'TAPService("http://testserver/tap")' in page
    assert 'href="http://testserver/tap/examples"' in page
    assert "<code>ivoa.ObsCore</code>" in page and "<code>jmdc.measurements</code>" in page
