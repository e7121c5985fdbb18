"""The streaming VOTable writer, which knows no app."""

import numpy as np
import pytest
from django.http import QueryDict

from lib import votable
from tests.votables import VERSIONS, assert_valid, parse


def test_the_writer_streams_in_pieces():
    fields = [votable.VOField("x", "int")]
    pieces = list(
        votable.write_votable(fields, ((n,) for n in range(5)), table_name="t", chunk_rows=2)
    )
    assert len(pieces) == 1 + 3 + 1  # head, three pieces of rows, tail
    assert "".join(pieces).count("<TR>") == 5


FIELDS = [
    votable.VOField("name", "char", ucd="meta.id;meta.main", description="The star's name"),
    votable.VOField("title", "unicodeChar", description="Non-ASCII text"),
    votable.VOField("diameter", "double", "mas", "phys.angSize;src"),
    votable.VOField("code", "short", null=0),
    votable.VOField("count", "long"),
    votable.VOField("flag", "boolean"),
]
ROWS = [
    ("HD 1", "Ångström & <co>", 1.25, 3, 12345678901, True),
    ("HD 2", None, None, None, None, False),
    ("HD 3", "", float("nan"), 7, 0, None),
]


def document(version, *, infos_after=None) -> bytes:
    pieces = votable.write_votable(
        FIELDS, iter(ROWS), table_name="stars", description="Three stars",
        infos={"QUERY_STATUS": "OK"}, params={"status": "OK"},
        version=votable.VERSIONS[version], infos_after=infos_after,
    )  # fmt: skip
    return "".join(pieces).encode()


@pytest.mark.parametrize("version", VERSIONS)
def test_each_version_is_valid_against_its_schema_and_reads_back_value_for_value(version):
    data = document(version)
    assert_valid(data, version)
    table = parse(data).get_first_table()
    assert table.array["name"].tolist() == ["HD 1", "HD 2", "HD 3"]
    assert table.array["title"][0] == "Ångström & <co>"
    assert table.array["diameter"][0] == 1.25
    assert np.ma.is_masked(table.array["diameter"][1]) and np.ma.is_masked(
        table.array["diameter"][2]
    )
    assert np.ma.is_masked(table.array["code"][1]) and table.array["code"][2] == 7
    assert table.array["count"][0] == 12345678901 and np.ma.is_masked(table.array["count"][1])
    assert table.array["flag"].tolist()[:2] == [True, False]
    assert table.fields[2].unit == "mas" and table.fields[2].ucd == "phys.angSize;src"


@pytest.mark.parametrize("version", ["1.2", "1.3", "1.4"])
def test_from_1_2_on_the_overflow_indicator_follows_the_table(version):
    data = document(version, infos_after=lambda: {"QUERY_STATUS": "OVERFLOW"})
    assert_valid(data, version)
    assert b'</TABLE>\n<INFO name="QUERY_STATUS" value="OVERFLOW"/>\n</RESOURCE>' in data


def test_version_1_1_refuses_an_info_after_the_table_its_schema_has_no_place_for():
    with pytest.raises(ValueError, match=r"VOTable 1\.1 has no INFO after a TABLE"):
        document("1.1", infos_after=dict)


def test_the_default_document_is_the_1_4_one_the_portal_always_wrote():
    head = document("1.4").decode().split("<RESOURCE")[0]
    default = "".join(
        votable.write_votable(FIELDS, iter(ROWS), table_name="stars", description="Three stars",
                              infos={"QUERY_STATUS": "OK"}, params={"status": "OK"})
    )  # fmt: skip
    assert default.encode() == document("1.4")
    assert head == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
    )


def asked(query: str):
    return votable.requested_version(QueryDict(query))


def test_a_request_names_its_version_by_version_or_by_the_media_types_version():
    assert asked("") is None
    assert asked("VERSION=1.2").number == "1.2"
    assert asked("version=1.1").number == "1.1"  # DALI: names are case-insensitive
    assert asked("RESPONSEFORMAT=application/x-votable%2Bxml;version=1.3").number == "1.3"
    assert asked('FORMAT=application/x-votable%2Bxml; version="1.1"').number == "1.1"
    assert asked("RESPONSEFORMAT=votable") is None  # TAP's short name, no version: the default
    assert asked("RESPONSEFORMAT=application/x-votable%2Bxml") is None  # no version: the default
    assert asked("VERSION=1.2&RESPONSEFORMAT=text/xml;version=1.2").number == "1.2"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("VERSION=1.5", "VERSION='1.5' is not a VOTable version written here: give one of 1.1, 1.2, 1.3, 1.4."),
        ("VERSION=2", "VERSION='2' is not a VOTable version written here: give one of 1.1, 1.2, 1.3, 1.4."),
        ("RESPONSEFORMAT=application/x-votable%2Bxml;version=1.0",
         "RESPONSEFORMAT='1.0' is not a VOTable version written here: give one of 1.1, 1.2, 1.3, 1.4."),
        ("RESPONSEFORMAT=text/csv",
         "RESPONSEFORMAT='text/csv' is not a VOTable: this answer is written as "
         "application/x-votable+xml (its version as ;version=1.1 to 1.4)."),
        ("FORMAT=application/x-votable%2Bxml;serialization=BINARY2",
         "FORMAT='application/x-votable+xml;serialization=BINARY2': this answer is written as "
         "TABLEDATA only (the clients it serves read no other)."),
        ("VERSION=1.2&RESPONSEFORMAT=application/x-votable%2Bxml;version=1.3",
         "VERSION asks for 1.2 and RESPONSEFORMAT asks for 1.3: give one VOTable version."),
    ],
)  # fmt: skip
def test_a_version_not_written_here_is_refused_in_the_clients_words(query, message):
    with pytest.raises(votable.UnknownVersion) as refused:
        asked(query)
    assert str(refused.value) == message


def test_a_row_is_written_as_its_cells_would_be_one_by_one_whatever_the_values():
    import math
    import random

    from lib.votable import VOField, cell_by_cell, row_writer

    fields = [
        VOField("name", "unicodeChar"), VOField("d", "double", nan_for_null=True),
        VOField("e", "double"), VOField("n", "int", null=-1), VOField("m", "long"),
        VOField("flag", "boolean"), VOField("code", "char"), VOField("stored", "unicodeChar", markup_only=True),
    ]  # fmt: skip
    texts = ["", None, "plain", "a<b & c>", "\x01ctrl", "{v0}", "'quote'", "é\ufffe", 0]
    # A markup_only field's values hold no character XML forbids (stored without them).
    clean = ["", None, "plain", "a<b & c>", "{'A0-B2': None}", "&amp;", ">"]
    numbers = [None, 0.0, -0.0, 1e16, 1e-5, math.nan, math.inf, 58000.123456789, 3, True]
    rng = random.Random(20)
    rows = [
        (rng.choice(texts), rng.choice(numbers), rng.choice(numbers), rng.choice([None, 0, 7, 2.0]),
         rng.choice([None, -(2**63), 2**63 - 1]), rng.choice([None, True, False, 0]), rng.choice(texts),
         rng.choice(clean))
        for _ in range(2000)
    ]  # fmt: skip
    write, reference = row_writer(fields), cell_by_cell(fields)
    assert [write(row) for row in rows] == [reference(row) for row in rows]
