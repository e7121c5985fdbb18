"""The ObsPortal's VOTables in the version a client asks for (VERSION or RESPONSEFORMAT):
/search.votable keeps the answer Aspro2 and OiDB read unless a version is asked, /scs writes
each version, and each document is valid against its version's schema and read back by astropy."""

import numpy as np
import pytest
from django.test import Client

from tests import votables
from tests.obsportal.builders import exposure
from tests.votables import VERSIONS

pytestmark = pytest.mark.django_db
# The clients' original UCDs ("meta.id;class"; SCS 1.03's UCD1 "ID_MAIN") are not UCD1+.
UCD1 = ("W06",)
# The exposures' temperature in "Cel" (VOUnits' degree Celsius), which astropy reads as a unit only
# in 1.4 documents (its VOUnit parser; earlier versions go through its CDS one).
CONTRACT = (*UCD1, "W50")
OIDB_NAMESPACE = b'xmlns="http://www.ivoa.net/xml/VOTable/v1.4"'


@pytest.fixture
def exposures():
    exposure(
        "TEST.A_1",
        10.0,
        -20.0,
        tau0=0.005,
        category="calibrator",
        mjd_start=58849.0,
        mjd_end=58849.001,
    )
    exposure(
        "TEST.B_1",
        10.0 + 20 / 3600,
        -20.0,
        instrument="GRAVITY",
        mjd_start=58850.0,
        mjd_end=58850.001,
    )
    exposure("TEST.C_1", 10.0 + 40 / 3600, -20.0, mjd_start=58851.0, mjd_end=58851.001)


def body(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def search(query: dict, method="get") -> bytes:
    return body(getattr(Client(), method)("/search.votable", query))


def scs(query: dict) -> bytes:
    return body(Client().get("/scs", {"RA": "10", "DEC": "-20", "SR": "0.1", **query}))


@pytest.mark.parametrize("version", VERSIONS)
def test_oidb_s_harvest_with_a_version_is_that_version_s_standard_document(exposures, version):
    data = search({"interferometer": "VLTI", "all_fields": "true", "VERSION": version})
    votables.assert_valid(data, version)
    assert b"<TABLEDATA>" in data
    table = votables.parse(data, ignore=CONTRACT).get_first_table()
    rows = {row["exp_id"]: row for row in table.array}
    assert sorted(rows) == ["TEST.A_1", "TEST.B_1", "TEST.C_1"]
    assert rows["TEST.A_1"]["exp_tau0"] == 0.005 and rows["TEST.A_1"]["obs_type"] == "calibrator"
    assert rows["TEST.B_1"]["instrument_name"] == "GRAVITY"
    assert rows["TEST.B_1"]["target_ra"] == 10.0 + 20 / 3600
    tau0 = rows["TEST.B_1"]["exp_tau0"]
    assert np.ma.is_masked(tau0) or np.isnan(tau0)  # NaN for a missing double, as before
    assert np.ma.is_masked(rows["TEST.B_1"]["target_id"])  # no star: a null integer
    assert [p.value for p in table._votable.resources[0].params if p.name == "status"] == ["OK"]


@pytest.mark.parametrize("version", VERSIONS)
def test_aspro2_s_post_with_a_version_media_type_is_still_tabledata(exposures, version):
    query = {"ra": "10.0", "dec": "-20.0", "radius": "30.0",
             "RESPONSEFORMAT": f"application/x-votable+xml;version={version}"}  # fmt: skip
    data = search(query, method="post")
    votables.assert_valid(data, version)
    table = votables.parse(data, ignore=CONTRACT).get_first_table()
    assert sorted(table.array["exp_id"]) == ["TEST.A_1", "TEST.B_1"]


def test_without_a_version_the_clients_answer_is_untouched_but_its_namespace(exposures):
    """The contract: what OiDB and Aspro2 get (they never ask a version) is the 1.4 document
    in the original service's own v1.4 namespace, byte for byte as the standard 1.4 one
    otherwise; asking for 1.4 explicitly gives the standard namespace, v1.3."""
    for query in ({"all_fields": "true"}, {"ra": "10.0", "dec": "-20.0", "radius": "30.0"}):
        default = search(query)
        standard = search({**query, "VERSION": "1.4"})
        assert default.count(OIDB_NAMESPACE) == 1
        assert b'<VOTABLE version="1.4" ' + OIDB_NAMESPACE in default
        assert default == standard.replace(
            b'xmlns="http://www.ivoa.net/xml/VOTable/v1.3"', OIDB_NAMESPACE
        )


def test_a_version_not_written_is_a_400_naming_it_as_the_other_bad_parameters():
    response = Client().get("/search.votable", {"VERSION": "1.0"})
    assert response.status_code == 400
    assert response.content.decode() == (
        "VERSION='1.0' is not a VOTable version written here: give one of 1.1, 1.2, 1.3, 1.4.\n"
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_the_cone_search_writes_each_version_valid_and_read_back(exposures, version):
    data = scs({"VERSION": version})
    votables.assert_valid(data, version)
    table = votables.parse(data, ignore=UCD1).get_first_table()
    assert list(table.array["exp_id"]) == ["TEST.A_1", "TEST.B_1", "TEST.C_1"]
    assert list(table.array["target_dec"]) == [-20.0, -20.0, -20.0]
    assert [f.ucd for f in table.fields][:3] == ["ID_MAIN", "POS_EQ_RA_MAIN", "POS_EQ_DEC_MAIN"]
    assert b'<INFO name="QUERY_STATUS" value="OK"/>' in data and b"OVERFLOW" not in data


@pytest.mark.parametrize("version", ["1.2", "1.3", "1.4"])
def test_from_1_2_on_a_cut_cone_says_overflow_after_the_table(exposures, version):
    data = scs({"VERSION": version, "MAXREC": "2"})
    votables.assert_valid(data, version)
    assert b'</TABLE>\n<INFO name="QUERY_STATUS" value="OVERFLOW"/>\n</RESOURCE>' in data
    table = votables.parse(data, ignore=UCD1).get_first_table()
    assert list(table.array["exp_id"]) == ["TEST.A_1", "TEST.B_1"]


@pytest.mark.parametrize(
    ("maxrec", "status", "sent"), [("2", "OVERFLOW", 2), ("3", "OK", 3), ("0", "OVERFLOW", 0)]
)
def test_in_1_1_the_status_before_the_table_says_overflow(exposures, maxrec, status, sent):
    """VOTable 1.1 has no INFO after a TABLE: the overflow is said where 1.1 allows it."""
    data = scs({"VERSION": "1.1", "MAXREC": maxrec})
    votables.assert_valid(data, "1.1")
    document = votables.parse(data, ignore=UCD1)
    statuses = [i.value for i in document.resources[0].infos if i.name == "QUERY_STATUS"]
    assert statuses == [status]
    assert data.index(b'name="QUERY_STATUS"') < data.index(b"<TABLE")
    assert len(document.get_first_table().array) == sent


@pytest.mark.parametrize("asked", ["9.9", "1.1\x00", "1.1\"'<&>\ufffe"])
def test_an_unknown_version_is_a_cone_search_error_document(asked):
    data = scs({"VERSION": asked})
    votables.assert_valid(data, "1.4")
    document = votables.parse(data)
    written = repr(asked)  # a character XML forbids is spelled out, never written raw
    message = (
        f"VERSION={written} is not a VOTable version written here: give one of 1.1, 1.2, 1.3, 1.4."
    )
    assert [(i.name, i.value) for i in document.infos] == [("Error", message)]
    status = document.resources[0].infos[0]
    assert (status.name, status.value, status.content) == ("QUERY_STATUS", "ERROR", message)


@pytest.mark.parametrize("version", VERSIONS)
def test_the_cone_search_s_errors_come_in_the_version_asked(version):
    data = scs({"VERSION": version, "RA": "x"})
    votables.assert_valid(data, version)
    infos = votables.parse(data).infos
    assert [(i.name, i.value) for i in infos] == [("Error", "RA='x' is not a number")]
