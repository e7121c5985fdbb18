"""The SIMBAD client through astroquery's real code, against the local stand-in.

Star values given to the stand-in here are TEST DATA (approximately Arcturus's, for
readability), not answers recorded from SIMBAD; the recorded real answers of
../shared/simbad are replayed by the stand-in where it has them.
"""

import csv
import math
import re

import pytest

from jmdc.simbad import (
    Resolution,
    SimbadClient,
    SimbadQueryError,
    SimbadUnavailable,
    normalise_name,
)
from standins.simbad import SimbadStandIn, StandInObject, canonical, invented_object

ARCTURUS = StandInObject(
    "* alf Boo", 213.9153, 19.1824, "RG*", "K1.5III",
    ("* alf Boo", "NAME Arcturus", "HD 124897", "HIP 69673", "2MASS J14153968+1910558",
     "Gaia DR3 1239122237331431936"),
    object_types=("RG*", "*", "IR", "PM*"), v_mag=-0.05, j_mag=-2.25, h_mag=-2.81, k_mag=-2.91,
)  # fmt: skip
KAP_SER = StandInObject(
    "* kap Ser", 237.1849, 18.1416, "RG*", "M0.5III", ("* kap Ser", "HD 141477", "HIP 77450")
)
FG_SER = StandInObject(
    "V* FG Ser", 275.3, -0.3, "s*r", "", ("V* FG Ser", "2MASS J18150712-0018523")
)


@pytest.fixture
def standin(shared_dir):
    with SimbadStandIn([ARCTURUS, KAP_SER, FG_SER], shared_dir=shared_dir / "simbad") as server:
        yield server


@pytest.fixture
def client(standin):
    # A high rate limit keeps the tests quick; the limit itself is tested in test_identification.
    return SimbadClient(standin.url, timeout=2, user_agent="JMDC-portal/test", rate=100)


@pytest.mark.parametrize(
    "name",
    ["alf Boo", "HD 124897", "HD124897", "  hd124897 ", "Arcturus", "Alpha Bootis", "ALPHA BOO",
     "* alf Boo", "2MASS J14153968+1910558", "α Boo"],
)  # fmt: skip
def test_every_alias_of_a_star_resolves_to_the_same_object_with_its_hd_id1(client, name):
    resolution = client.resolve([name])[name]
    assert resolution.status == "resolved"
    (obj,) = resolution.objects
    assert (obj.main_id, obj.id1, obj.sp_type) == ("* alf Boo", "HD124897", "K1.5III")
    assert obj.ra == pytest.approx(213.9153)


def test_one_batched_query_brings_the_identity_types_and_magnitudes_of_each_star(client, standin):
    answers = client.resolve(["HD 124897", "kap Ser", "no such star"])
    assert standin.count("batch") == 1
    (arcturus,) = answers["HD 124897"].objects
    assert (arcturus.main_id, arcturus.otype, arcturus.sp_type) == ("* alf Boo", "RG*", "K1.5III")
    assert arcturus.object_types == "RG*,*,IR,PM*"
    assert (arcturus.identifier("HD"), arcturus.identifier("HIP")) == ("HD 124897", "HIP 69673")
    assert arcturus.identifier_starting("2MASS J") == "2MASS J14153968+1910558"
    assert arcturus.identifier_starting("Gaia DR3 ") == "Gaia DR3 1239122237331431936"
    mags = (arcturus.v_mag, arcturus.j_mag, arcturus.h_mag, arcturus.k_mag)
    assert mags == pytest.approx((-0.05, -2.25, -2.81, -2.91))
    # A star SIMBAD has no magnitude for: none, not zero; its one object type.
    (kap_ser,) = answers["kap Ser"].objects
    assert (kap_ser.v_mag, kap_ser.k_mag, kap_ser.object_types) == (None, None, "RG*")
    assert answers["no such star"].objects == ()


def test_hip_is_used_when_simbad_lists_no_hd_then_the_main_id():
    from jmdc.simbad import SimbadObject

    assert SimbadObject("* x", 1.0, 2.0, "*", "", ("* x", "HIP 12")).id1 == "HIP12"
    assert SimbadObject("V*  FG  Ser", 1.0, 2.0, "*", "", ("V* FG Ser",)).id1 == "V* FG Ser"


def test_full_greek_names_and_upper_case_are_normalised_before_the_query(client, standin):
    answer = client.resolve(["KAPPA SER"])["KAPPA SER"]
    assert (answer.query, answer.status, answer.objects[0].id1) == (
        "kap Ser",
        "resolved",
        "HD141477",
    )


@pytest.mark.parametrize(
    ("name", "sent"),
    [("KAPPA SER", "kap Ser"), ("Alpha Ori", "alf Ori"), ("109 Herculis", "109 Her"),
     ("V* FG Ser", "FG Ser"), ("mu Cep", "mu. Cep"), ("Zeta1 UMa", "zet01 UMa"),
     ("WDSJ05167+4600Aa,Ab", "WDSJ05167+4600Aa,Ab"), ("  HD   360 ", "HD 360"), ("gHer", "gHer"),
     ("BD-214897", "BD-214897"), ("alf Cen A", "alf Cen A"), ("Eta Carinae", "eta Car")],
)  # fmt: skip
def test_name_normalisation(name, sent):
    assert normalise_name(name) == sent


def test_unknown_and_ambiguous_names_are_told_apart(standin, client):
    standin.add(StandInObject("TEST twin A", 1.0, 1.0, identifiers=("twin",)))
    standin.add(StandInObject("TEST twin B", 1.1, 1.1, identifiers=("twin",)))
    answers = client.resolve(["no such star", "twin", "HD 124897"])
    assert [answers[n].status for n in ("no such star", "twin", "HD 124897")] == [
        "not_found",
        "ambiguous",
        "resolved",
    ]
    assert {o.main_id for o in answers["twin"].objects} == {"TEST twin A", "TEST twin B"}


def test_the_2020_catalogue_resolves_in_one_request_per_batch(shared_dir):
    with (shared_dir / "jmdc" / "JMDC_full_20200730.csv").open(newline="") as handle:
        names = sorted({row["ID1"].strip() for row in csv.DictReader(handle)})
    # One invented object per star: GJ 876 and GJ876 are one name to SIMBAD.
    objects = [invented_object(n) for n in {canonical(n): n for n in names}.values()]
    with SimbadStandIn(objects, shared_dir=shared_dir / "simbad") as standin:
        for batch_size in (1000, 100):
            before = standin.count("batch")
            answers = SimbadClient(standin.url, batch_size=batch_size, rate=100).resolve(names)
            assert standin.count("batch") - before == math.ceil(len(names) / batch_size)
            assert all(a.status == "resolved" for a in answers.values())
            assert sum(r.names for r in standin.requests if r.kind == "batch") >= len(names)
        # the metadata of add_votable_fields is asked once per client, not per batch
        assert standin.count("capabilities") == 2


def test_requests_name_the_portal_in_their_user_agent(standin, client):
    client.resolve(["HD 124897"])
    assert {r.user_agent for r in standin.requests} == {"JMDC-portal/test"}


@pytest.mark.parametrize(
    ("fault", "message", "reason"),
    [
        (("503",), "unavailable", "HTTP 503"),
        (("garbage",), "unavailable|unreadable", "no usable answer|an unreadable answer"),
        (("drop",), "unavailable", "no connection|no usable answer"),
        (("slow", 4), "unavailable", "no answer in time"),
    ],
)
def test_service_trouble_is_reported_as_retryable(standin, client, fault, message, reason):
    client.resolve(["HD 124897"])  # the client's metadata is fetched; now the batch fails
    standin.inject(fault)
    with pytest.raises(SimbadUnavailable, match=message) as raised:
        client.resolve(["alf Boo"])
    # What the pages show, in a few words (the message keeps the details).
    assert re.fullmatch(reason, raised.value.reason), raised.value.reason
    assert client.resolve(["alf Boo"])["alf Boo"].status == "resolved"  # and the next try works


def test_a_429_carries_simbads_retry_after(standin, client):
    client.resolve(["HD 124897"])
    standin.inject(("429", 7))
    with pytest.raises(SimbadUnavailable) as refused:
        client.resolve(["alf Boo"])
    assert refused.value.retry_after == 7


def test_a_refused_query_is_not_retryable(standin, client):
    client.resolve(["HD 124897"])
    standin.inject(("error",))
    with pytest.raises(SimbadQueryError, match="Incorrect ADQL query"):
        client.resolve(["alf Boo"])


def test_a_simbad_that_does_not_answer_at_all_is_unavailable(shared_dir):
    with SimbadStandIn(shared_dir=shared_dir / "simbad") as standin:
        url = standin.url
    with pytest.raises(SimbadUnavailable):  # the port is closed now: connection refused
        SimbadClient(url, timeout=1, rate=100).resolve(["HD 124897"])


def test_the_stand_in_replays_simbads_recorded_answers(standin, client):
    hit = client._simbad.query_object("M1")
    assert (str(hit["main_id"][0]), float(hit["ra"][0])) == ("M   1", 83.6287)
    from astroquery.exceptions import NoResultsWarning

    with pytest.warns(NoResultsWarning):  # astroquery's way of saying "a miss", as with SIMBAD
        assert len(client._simbad.query_object("TEST")) == 0
    assert standin.count("single") == 2


def test_an_unsupported_request_fails_loudly(standin):
    import requests

    response = requests.post(standin.url + "/async", data={"QUERY": "SELECT 1"}, timeout=5)
    assert response.status_code == 400 and b'value="ERROR"' in response.content


def test_resolution_status_names():
    assert Resolution("x", "x", ()).status == "not_found"
