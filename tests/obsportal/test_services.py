"""/search.votable as Aspro2 and OiDB call it, and the IVOA Simple Cone Search."""

import datetime
import gzip
import io
import math

import pytest
from astropy.io.votable import parse
from django.test import Client

from tests.obsportal.builders import exposure

pytestmark = [
    pytest.mark.django_db,
    # The clients' contract fixes two things astropy frowns upon: the original UCDs
    # ("meta.id;class"; SCS 1.03's UCD1 "ID_MAIN") and OiDB's exact v1.4 namespace.
    pytest.mark.filterwarnings("ignore::astropy.io.votable.exceptions.W06"),
    pytest.mark.filterwarnings("ignore::astropy.io.votable.exceptions.W41"),
]


def table(content: bytes):
    return parse(io.BytesIO(content), verify="warn").get_first_table()


@pytest.fixture
def exposures():
    exposure("TEST.A_1", 10.0, -20.0, tau0=0.005, category="calibrator")
    exposure("TEST.B_1", 10.0 + 20 / 3600, -20.0, instrument="GRAVITY")  # 20" away
    exposure("TEST.C_1", 10.0 + 60 / 3600, -20.0)  # 60" away: outside Aspro2's 30"
    exposure("TEST.D_1", None, None)


def test_aspro2_posts_a_cone_in_arcseconds_and_reads_tabledata(exposures):
    client = Client(enforce_csrf_checks=True)  # Aspro2 has no CSRF token
    response = client.post(
        "/search.votable", {"ra": "10.0", "dec": "-20.0", "radius": "30.0", "all_fields": "false"}
    )
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert b'xmlns="http://www.ivoa.net/xml/VOTable/v1.4"' in content and b"<TABLEDATA>" in content
    rows = table(content).array
    assert sorted(rows["exp_id"]) == ["TEST.A_1", "TEST.B_1"]
    assert set(rows["obs_type"]) == {"science", "calibrator"}
    names = [f.name for f in table(content).fields]
    for required in ("exp_id", "target_ra", "target_dec", "exp_projected_baselines", "exp_tau0"):
        assert required in names
    b = rows[list(rows["exp_id"]).index("TEST.B_1")]
    assert math.isnan(b["exp_tau0"])  # NaN for a missing double
    assert b["exp_projected_baselines"].startswith("{'A0-B2': {'length': {'start': '10.0000'")


def test_a_tiny_ra_written_like_java_does_is_read(exposures):
    response = Client().post("/search.votable", {"ra": "1.0E-4", "dec": "-20.0", "radius": "30"})
    assert response.status_code == 200


def test_oidb_harvests_by_update_date_with_all_fields(exposures):
    now = datetime.datetime.now(datetime.UTC)
    query = {
        "interferometer": "VLTI", "date_updated_from": (now - datetime.timedelta(days=1)).isoformat(),
        "date_updated_to": (now + datetime.timedelta(days=1)).isoformat(), "all_fields": "true",
    }  # fmt: skip
    response = Client().get("/search.votable", query)
    t = table(b"".join(response.streaming_content))
    assert len(t.array) == 4
    names = [f.name for f in t.fields]
    assert {"exp_validation_log", "exp_date_updated", "instrument_em_min"} <= set(names)
    gravity = Client().get("/search.votable", {"instrument": "GRAV"})
    assert list(table(b"".join(gravity.streaming_content)).array["exp_id"]) == ["TEST.B_1"]
    later = Client().get("/search.votable", {"date_updated_from": "2999-01-01T00:00:00+00:00"})
    assert len(table(b"".join(later.streaming_content)).array) == 0


def test_the_answer_is_gzipped_when_the_client_accepts_it(exposures):
    response = Client().get("/search.votable", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert b"<TABLEDATA>" in gzip.decompress(b"".join(response.streaming_content))


@pytest.mark.parametrize(
    "query", [{"ra": "abc", "dec": "1"}, {"ra": "10"}, {"dec": "95", "ra": "1"}]
)
def test_bad_parameters_are_a_400_naming_them(query):
    response = Client().get("/search.votable", query)
    assert response.status_code == 400
    assert any(name in response.content.decode() for name in ("ra", "dec"))


def test_the_path_never_redirects():
    assert Client().get("/search.votable").status_code == 200


def test_simple_cone_search_answers_with_the_three_ucds(exposures):
    response = Client().get("/scs", {"RA": "10", "DEC": "-20", "SR": str(30 / 3600), "VERB": "2"})
    t = table(b"".join(response.streaming_content))
    ucds = [f.ucd for f in t.fields]
    for ucd in ("ID_MAIN", "POS_EQ_RA_MAIN", "POS_EQ_DEC_MAIN"):
        assert ucds.count(ucd) == 1
    assert sorted(t.array["exp_id"]) == ["TEST.A_1", "TEST.B_1"]


@pytest.mark.parametrize(
    "query, message",
    [({"RA": "10", "DEC": "-20"}, "Missing parameter(s): SR"), ({"RA": "x", "DEC": "0", "SR": "1"}, "RA='x' is not a number"),
     ({"RA": "10", "DEC": "-91", "SR": "1"}, "DEC=-91 is outside")],
)  # fmt: skip
def test_simple_cone_search_errors_are_a_votable_info(query, message):
    response = Client().get("/scs", query)
    assert response.status_code == 200
    votable = parse(io.BytesIO(response.content))
    errors = [info for info in votable.infos if info.name == "Error"]
    assert errors and message in errors[0].value


def test_the_exposure_page(exposures):
    page = Client().get("/detail/exposure/TEST.A_1").content.decode()
    assert "Exposure TEST.A_1" in page and "A0-B2" in page
    assert Client().get("/detail/exposure/nothing").status_code == 404


def test_the_gzipped_answer_reads_back_as_the_plain_one_at_the_fastest_level(exposures):
    query = {"all_fields": "true"}
    plain = Client().get("/search.votable", query)
    packed = Client().get("/search.votable", query, HTTP_ACCEPT_ENCODING="gzip, deflate")
    body = b"".join(packed.streaming_content)
    assert gzip.decompress(body) == b"".join(plain.streaming_content)
    # Byte 8 of a gzip header is 4 when written at the fastest level (RFC 1952, XFL): level 1,
    # which keeps up with the rows where Django's gzip_page (level 6) would not.
    assert body[8] == 4
    for response in (plain, packed):
        assert "Accept-Encoding" in response["Vary"]


def test_the_cone_search_is_gzipped_and_a_refusal_of_gzip_is_honoured(exposures):
    query = {"RA": "10", "DEC": "-20", "SR": str(30 / 3600)}
    packed = Client().get("/scs", query, HTTP_ACCEPT_ENCODING="gzip")
    plain = Client().get("/scs", query, HTTP_ACCEPT_ENCODING="gzip;q=0, identity")
    assert packed["Content-Encoding"] == "gzip" and not plain.has_header("Content-Encoding")
    assert gzip.decompress(b"".join(packed.streaming_content)) == b"".join(plain.streaming_content)
