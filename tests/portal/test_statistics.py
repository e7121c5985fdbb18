"""/statistics, the catalogue as a whole: each chart drawn by the server holds one mark per
datum (a bar per year and method, per band; a point per star on the sky, per release and per
row against V-K), counted from the rows the reader may see; the page offers Aladin Lite from
CDS under its own widened policy and works without it. Values invented."""

import datetime

import pytest
from django.test import Client

from jmdc.models import Release, SourceFacts, Star
from lib import charts
from tests.builders import measurement, tomorrow

pytestmark = pytest.mark.django_db


def stats(client=None):
    response = (client or Client()).get("/statistics")
    assert response.status_code == 200
    return response


def descriptions(spec, containing: str = "") -> list[str]:
    drawn = [m.get("description", "") for m in charts.marks(spec)]
    return sorted(text for text in drawn if text and containing in text)


def facts(star: Star, source: str = "crossmatch", **values) -> SourceFacts:
    return SourceFacts.objects.create(
        star=star, source=source, as_of=datetime.date(2020, 9, 9), **values
    )


def test_one_bar_per_publication_year_and_method():
    measurement(id1="HD1", bibcode="2001A&A...001..001A", method=1)
    measurement(id1="HD2", bibcode="2001A&A...001..002A", method=1)
    measurement(id1="HD3", bibcode="2001A&A...001..003A", method=2)
    measurement(id1="HD4", bibcode="2019A&A...001..004A", method=3)
    spec = stats().context["charts"]["years"]
    assert descriptions(spec) == [
        "2001, lunar occultation: 1", "2001, optical interferometry: 2",
        "2019, intensity interferometry: 1",
    ]  # fmt: skip


def test_one_bar_per_band_in_band_order():
    for n, bandcode in enumerate([8, 8, 7, 2]):
        measurement(id1=f"HD{n}", bandcode=bandcode)
    assert descriptions(stats().context["charts"]["bands"]) == ["B: 1", "H: 1", "K: 2"]


def test_an_embargoed_row_is_counted_only_for_those_who_may_see_it(people):
    measurement(id1="HD1", bibcode="2001A&A...001..001A")
    measurement(id1="HD2", bibcode="2002A&A...001..001A", group=people.group,
                embargo_until=tomorrow())  # fmt: skip
    colleague = Client()
    colleague.force_login(people.colleague)
    assert stats(colleague).context["measurement_count"] == 2
    response = stats()
    assert response.context["measurement_count"] == 1
    assert descriptions(response.context["charts"]["years"]) == ["2001, optical interferometry: 1"]
    assert response.context["star_count"] == 1


def test_each_star_with_a_position_is_a_point_on_the_sky():
    simbad = measurement(id1="HD1").star
    Star.objects.filter(pk=simbad.pk).update(ra=10.0, dec=20.0)
    crossmatched = measurement(id1="HD2").star
    facts(crossmatched, ra=200.0, dec=-30.0)
    measurement(id1="HD3")  # no position from anyone
    response = stats()
    stars = descriptions(response.context["charts"]["sky"], "(RA")
    assert stars == ["HD1 (RA 10.00, Dec 20.00)", "HD2 (RA 200.00, Dec -30.00)"]
    assert response.context["placed_count"] == 2 and response.context["star_count"] == 3
    assert "Of the 3 stars, 2 have a position" in response.content.decode()


def test_the_growth_shows_rows_and_stars_of_each_built_release():
    Release.objects.create(version="v1", date=datetime.date(2016, 8, 31), row_count=1000,
                           star_count=600, status=Release.Status.READY)  # fmt: skip
    Release.objects.create(version="v2", date=datetime.date(2020, 7, 30), row_count=1766,
                           star_count=924, status=Release.Status.READY)  # fmt: skip
    Release.objects.create(version="v3", date=datetime.date(2026, 1, 1), row_count=1,
                           status=Release.Status.BUILDING)  # fmt: skip
    # The points (the line between them is one mark per series).
    assert descriptions(stats().context["charts"]["growth"], "): ") == [
        "v1 (2016-08-31): 1000 rows", "v1 (2016-08-31): 600 stars",
        "v2 (2020-07-30): 1766 rows", "v2 (2020-07-30): 924 stars",
    ]  # fmt: skip


def test_diameters_against_v_minus_k_mark_the_rows_far_from_the_prediction():
    near = measurement(id1="HD1", ld_diam=1.0, e_ld_diam=0.05, bibcode="2001A&A...001..001A")
    far = measurement(id1="HD2", ld_diam=3.0, e_ld_diam=0.05, bibcode="2002A&A...001..001A")
    lone = measurement(id1="HD3", ld_diam=2.0, bibcode="2003A&A...001..001A")
    measurement(id1="HD4", ld_diam=2.0)  # no V and K: not on the chart
    # SIMBAD's V and K are preferred to the cross-match's.
    facts(near.star, "simbad", v_mag=5.0, k_mag=2.0)
    facts(near.star, v_mag=9.0, k_mag=9.0, ldd=1.02, e_ldd=0.05)
    facts(far.star, v_mag=4.0, k_mag=0.5, ldd=1.0, e_ldd=0.05)
    facts(lone.star, v_mag=6.0, k_mag=3.0)
    response = stats()
    rows = descriptions(response.context["charts"]["colour"])
    assert rows == [
        "HD1 2001A&A...001..001A: LD 1.000 mas, V-K 3.00 (within 3 sigma of the prediction)",
        "HD2 2002A&A...001..001A: LD 3.000 mas, V-K 3.50 (more than 3 sigma from the prediction)",
        "HD3 2003A&A...001..001A: LD 2.000 mas, V-K 3.00 (no prediction to compare with)",
    ]
    assert response.context["far_count"] == 1
    page = response.content.decode()
    assert "3 rows with V and K; 1 more than 3 combined sigma" in page


def test_the_threshold_is_the_one_the_curators_rule_uses():
    from curation import rules
    from jmdc import predictions

    assert rules.PREDICTION_SIGMAS is predictions.PREDICTION_SIGMAS


def test_the_page_offers_aladin_lite_from_cds_under_its_own_policy_only():
    measurement(id1="HD1")
    response = stats()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' https://aladin.cds.unistra.fr 'wasm-unsafe-eval'" in policy
    assert "https://*.cds.unistra.fr" in policy
    page = response.content.decode()
    assert (
        'data-aladin-script="https://aladin.cds.unistra.fr/AladinLite/api/v3/latest/aladin.js"'
        in page
    )
    # The static sky is in the page whatever CDS does; Aladin's box waits hidden for it.
    assert 'data-chart="chart-sky"' in page and 'id="aladin-sky"' in page and "hidden" in page
    assert "aladin" not in Client().get("/").headers["Content-Security-Policy"]


def test_the_navigation_leads_to_the_statistics():
    page = stats().content.decode()
    assert '<a href="/statistics" aria-current="page">Statistics</a>' in page
    assert '<a href="/statistics">Statistics</a>' in Client().get("/").content.decode()


def test_an_empty_catalogue_has_a_page_too():
    response = stats()
    assert "0 measurements of 0 stars" in response.content.decode()
    assert "No release has been built yet." in response.content.decode()
    for spec in response.context["charts"].values():
        assert charts.to_svg(spec).startswith("<svg")
