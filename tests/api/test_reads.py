"""Reading the catalogue, stars, releases and exposures through the API (invented rows)."""

import datetime

import pytest
from django.test import Client

from tests.builders import measurement, tomorrow
from tests.obsportal.builders import exposure

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(people):
    public = measurement(id1="HD360", ld_diam=0.906)
    secret = measurement(id1="HD 99999", ld_diam=1.5, group=people.group, embargo_until=tomorrow())
    return public, secret


def test_measurements_filters_and_embargo(api, catalogue):
    public, secret = catalogue
    anonymous = api("anonymous").get("/api/v1/measurements/").json()
    assert [m["id"] for m in anonymous["results"]] == [public.pk]
    assert anonymous["count"] == 1
    colleague = api("colleague").get("/api/v1/measurements/").json()
    assert {m["id"] for m in colleague["results"]} == {public.pk, secret.pk}
    assert api("outsider").get(f"/api/v1/measurements/{secret.pk}/").status_code == 404
    assert api("curator").get(f"/api/v1/measurements/{secret.pk}/").status_code == 200
    one = api("anonymous").get("/api/v1/measurements/", {"identifier": "hd360"}).json()
    assert (one["results"][0]["id1"], one["results"][0]["ld_diam"]) == ("HD360", 0.906)
    assert set(one["results"][0]) >= {"id1", "id2", "ud_diam", "ld_diam", "e_ld_diam", "band",
                                      "mu_lambda", "method", "bandcode", "notes", "bibcode",
                                      "sinpe", "star"}  # fmt: skip


def test_csv_is_the_export_csv_of_the_same_selection(api, catalogue):
    response = api("anonymous").get("/api/v1/measurements/", {"format": "csv", "method": "1"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    ours = b"".join(response.streaming_content)
    legacy = b"".join(Client().get("/export_csv", {"method": "1"}).streaming_content)
    assert ours == legacy and b"HD360" in ours and b"HD 99999" not in ours


def test_pagination(api):
    for n in range(5):
        measurement(id1=f"HD{n + 1}", ld_diam=1.0 + n)
    first = api("anonymous").get("/api/v1/measurements/", {"page_size": 2}).json()
    assert first["count"] == 5 and len(first["results"]) == 2 and first["next"]
    last = api("anonymous").get("/api/v1/measurements/", {"page_size": 2, "page": 3}).json()
    assert len(last["results"]) == 1 and last["next"] is None
    beyond = api("anonymous").get("/api/v1/measurements/", {"page": 9})
    assert beyond.status_code == 404 and beyond.json()["status"] == 404


def test_a_star_with_its_measurements_and_exposures(api, catalogue):
    public, secret = catalogue
    exposure("PIONI.A_1", 1.0, 1.0, star=public.star)
    star = api("anonymous").get(f"/api/v1/stars/{public.star_id}/").json()
    assert star["name"] == "HD360" and [m["id"] for m in star["measurements"]] == [public.pk]
    assert star["exposure_count"] == 1 and star["exposures"][0]["exp_id"] == "PIONI.A_1"
    # A star known only from an embargoed row is not revealed to others.
    assert api("outsider").get(f"/api/v1/stars/{secret.star_id}/").status_code == 404
    assert api("colleague").get(f"/api/v1/stars/{secret.star_id}/").status_code == 200


def test_releases_and_their_files(api, catalogue):
    from jmdc.releases import build, freeze

    release = freeze([(None, (
        "HD360", "", None, 0.906, 0.014, "H", None, 1, 7, "", "2019Natur.567..200P", False,
    ))], version="2026.1", date=datetime.date(2026, 11, 23))  # fmt: skip
    build(release.pk)
    listed = api("anonymous").get("/api/v1/releases/").json()["results"]
    assert [r["version"] for r in listed] == ["2026.1"]
    detail = api("anonymous").get("/api/v1/releases/2026.1/").json()
    assert detail["status"] == "ready" and detail["row_count"] == 1
    dat = next(f for f in detail["files"] if f["name"] == "jmdc.dat")
    downloaded = Client().get(dat["url"].replace("http://testserver", ""))
    assert downloaded.content.startswith(b"HD360") and dat["sha256"] == downloaded["ETag"].strip(
        '"'
    )
    assert detail["bundle_url"].endswith("/releases/2026.1/bundle.zip")


def test_exposures_with_the_search_filters(api):
    exposure("PIONI.A_1", 83.63, 22.01, target_name="HD_37202")
    exposure("GRAVI.B_1", 200.0, -20.0, instrument="GRAVITY")
    cone = api("anonymous").get("/api/v1/exposures/", {"ra": "05 34 31.2", "dec": "+22 00 36"})
    assert [e["exp_id"] for e in cone.json()["results"]] == ["PIONI.A_1"]
    one = api("anonymous").get("/api/v1/exposures/PIONI.A_1/").json()
    assert one["baselines"] == {"A0-B2": {"length": [10.0, 11.0], "angle": [5.0, 6.0]}}
    assert api("anonymous").get("/api/v1/exposures/NOPE_1/").status_code == 404
    bad = api("anonymous").get("/api/v1/exposures/", {"ra": "north", "dec": "1"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "ra"


@pytest.mark.parametrize("role", ["anonymous", "author", "colleague", "outsider", "curator",
                                  "manager"])  # fmt: skip
def test_every_read_endpoint_for_every_role(api, catalogue, role):
    """What each persona reads: public things alike; the embargoed row only where allowed."""
    public, secret = catalogue
    exposure("PIONI.A_1", 1.0, 1.0, star=public.star)
    client = api(role)
    sees_secret = role in ("author", "colleague", "curator", "manager")
    for url in ("/api/v1/measurements/", "/api/v1/stars/", "/api/v1/releases/",
                "/api/v1/exposures/", f"/api/v1/measurements/{public.pk}/",
                f"/api/v1/stars/{public.star_id}/", "/api/v1/exposures/PIONI.A_1/"):  # fmt: skip
        assert client.get(url).status_code == 200, url
    ids = {m["id"] for m in client.get("/api/v1/measurements/").json()["results"]}
    assert ids == ({public.pk, secret.pk} if sees_secret else {public.pk})
    status = client.get(f"/api/v1/measurements/{secret.pk}/").status_code
    assert status == (200 if sees_secret else 404)
    listing = client.get("/api/v1/submissions/")
    assert listing.status_code == (401 if role == "anonymous" else 200)


def test_one_measurement_in_csv_is_its_row_under_the_export_csv_header(api, catalogue):
    public, secret = catalogue
    response = api("anonymous").get(f"/api/v1/measurements/{public.pk}/", {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    ours = b"".join(response.streaming_content).decode()
    legacy = b"".join(Client().get("/export_csv", {"identifier": "HD360"}).streaming_content)
    assert ours == legacy.decode()
    header, row = ours.split("\n")
    assert header.startswith('"ID1","ID2","UD_DIAM","LD_DIAM"')
    assert row.startswith('"HD360",') and '"0.906"' in row
    hidden = api("outsider").get(f"/api/v1/measurements/{secret.pk}/", {"format": "csv"})
    assert hidden.status_code == 404 and b"HD 99999" not in hidden.content


@pytest.mark.parametrize(
    ("url", "field"),
    [("/api/v1/measurements/", "identifier"), ("/api/v1/measurements/", "bibcode"),
     ("/api/v1/exposures/", "target"), ("/api/v1/exposures/", "program_id"),
     ("/api/v1/exposures/", "ra")],
)  # fmt: skip
def test_a_filter_text_of_60000_characters_is_a_400_naming_the_field(api, url, field):
    response = api("anonymous").get(url, {field: "1" * 60000})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": field, "code": "invalid",
         "message": "Give at most 200 characters (this text has 60000)."}
    ]  # fmt: skip


@pytest.mark.parametrize("page_size", ["-5", "0", "1000000000", "x"])
def test_a_page_size_out_of_range_is_a_400_not_a_500(api, page_size):
    response = api("anonymous").get("/api/v1/measurements/", {"page_size": page_size})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "page_size"
