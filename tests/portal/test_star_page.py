"""The star page as a reader sees it without a browser: who the star is and on whose word,
where else to read about it, its charts, its selection in every export format, and each row
leading to its own page. Values are invented test data."""

import csv
import datetime
import io
import json

import pytest

from jmdc.models import SourceFacts, Star, StarAlias
from tests.builders import measurement
from tests.pages import page_of, text_of

pytestmark = pytest.mark.django_db

IN_2020 = datetime.date(2020, 9, 9)


def crossmatch_says(star, **facts):
    values = {
        "reference": "JMDC_full_20200730_crossmatch.csv", "as_of": IN_2020,
        "ra": 146.311712, "dec": -62.507903, "hd": "HD 84810", "hip": "HIP 47854",
        "two_mass": "2MASS J09451481-6230284", "gaia": "5255511021064433792",
        "sp_type": "G5Iab/Ib", "object_types": "cC*,*", "v_mag": 3.4, "k_mag": 0.88,
        "ldd": 3.0, "e_ldd": 0.1,
    }  # fmt: skip
    return SourceFacts.objects.create(star=star, source="crossmatch", **{**values, **facts})


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


def identity_of(page) -> dict[str, str]:
    block = page.xpath("//section[@class='star-identity']//dl")[0]
    return {
        text_of(dt): text_of(dd)
        for dt, dd in zip(block.xpath("dt"), block.xpath("dd"), strict=True)
    }


@pytest.fixture
def cepheid():
    first = measurement(
        id1="HD84810", ud_diam=3.09, ld_diam=3.248, band="H", bibcode="2016MNRAS.455.4231A"
    )
    measurement(
        id1="HD84810", ld_diam=2.99, band="2.2", method=2, bandcode=8, bibcode="2016A&A...587A.117B"
    )
    measurement(id1="HD84810", ld_diam=3.1, band="various", bibcode="1985AJ.....90.1113W")
    star = first.star
    StarAlias.objects.create(name="l Car", star=star)
    crossmatch_says(star)
    return star


def test_until_simbad_answers_the_identity_block_is_the_cross_matchs_dated_with_every_name(
    client, cepheid
):
    identity = identity_of(page_of(client.get(cepheid.get_absolute_url())))
    assert identity["Main identifier"].startswith("Not identified by SIMBAD yet")
    assert identity["Other names"] == (
        "HD84810, HD 84810, l Car, HIP 47854, 2MASS J09451481-6230284, Gaia 5255511021064433792"
    )
    source = "(JMMC cross-match of the catalogue, 2020-09-09)"
    assert identity["Position (ICRS)"] == (
        f"09 45 14.811 -62 30 28.451 RA 146.311712°, Dec -62.507903° {source}"
    )
    assert identity["Spectral type"] == f"G5Iab/Ib {source}"
    assert identity["Object type"] == f"cC*, * {source}"
    assert identity["Magnitudes"] == (
        f"V = 3.40 {source} J: no magnitude known H: no magnitude known K = 0.88 {source}"
    )


def test_once_simbad_answers_its_word_comes_first_and_its_magnitudes_before_the_snapshots(
    client, cepheid
):
    Star.objects.filter(pk=cepheid.pk).update(
        status="resolved", main_id="* l Car", ra=146.3117, dec=-62.5079, otype="cC*",
        sp_type="G5Iab/b", hd="HD 84810",
    )  # fmt: skip
    SourceFacts.objects.create(
        star=cepheid, source="simbad", as_of=datetime.date(2026, 11, 30), v_mag=3.75
    )
    identity = identity_of(page_of(client.get(cepheid.get_absolute_url())))
    assert identity["Main identifier"] == "* l Car (SIMBAD)"
    assert identity["Position (ICRS)"].startswith("09 45 14.808 -62 30 28.440 RA 146.311700°")
    assert identity["Spectral type"] == "G5Iab/b (SIMBAD, 2026-11-30)"
    assert identity["Magnitudes"].startswith("V = 3.75 (SIMBAD, 2026-11-30) J: no magnitude known")
    assert "K = 0.88 (JMMC cross-match of the catalogue, 2020-09-09)" in identity["Magnitudes"]


def test_a_star_nobody_has_placed_says_so_in_words(client):
    star = measurement(id1="HD 999999").star
    identity = identity_of(page_of(client.get(star.get_absolute_url())))
    assert identity["Position (ICRS)"] == (
        "No position known yet: neither SIMBAD nor the cross-match has placed this star."
    )
    assert identity["Spectral type"] == "No spectral type known."
    assert identity["Object type"] == "No object type known."
    assert identity["Magnitudes"] == (
        "V: no magnitude known J: no magnitude known H: no magnitude known K: no magnitude known"
    )


def test_the_links_out_find_the_star_by_position_and_its_rows_by_id1(client, cepheid):
    page = page_of(client.get(cepheid.get_absolute_url()))
    links = {text_of(a): a.get("href") for a in page.xpath("//ul[@class='links-out']//a")}
    assert links == {
        "SIMBAD: objects at this position": "https://simbad.cds.unistra.fr/simbad/sim-coo?"
        "Coord=146.311712+-62.507903&Radius=5&Radius.unit=arcsec",
        "VizieR II/345/jmdc: the published rows of HD84810": "https://vizier.cds.unistra.fr/"
        "viz-bin/VizieR-3?-source=II%2F345%2Fjmdc&ID1=HD84810",
        "VizieR II/346/jsdc_v2: the JSDC at this position": "https://vizier.cds.unistra.fr/"
        "viz-bin/VizieR-3?-source=II%2F346%2Fjsdc_v2&-c=146.311712+-62.507903&-c.rs=5",
        "Aladin Lite: the sky around the star": "https://aladin.cds.unistra.fr/AladinLite/"
        "?target=146.311712+-62.507903&fov=0.25",
        "ESO archive: exposures at this position": "https://archive.eso.org/wdb/wdb/eso/"
        "eso_archive_main/query?ra=146.311712&dec=-62.507903&deg_or_hour=degrees&box=00+02+00",
    }
    references = [a.get("href") for a in page.xpath("//ul[@class='references']//a")]
    assert references == [
        "https://ui.adsabs.harvard.edu/abs/1985AJ.....90.1113W/abstract",
        "https://ui.adsabs.harvard.edu/abs/2016A%26A...587A.117B/abstract",
        "https://ui.adsabs.harvard.edu/abs/2016MNRAS.455.4231A/abstract",
    ]


def test_simbad_is_asked_by_main_id_once_it_has_one_and_by_name_before_any_position(client):
    star = measurement(id1="HD 999999").star
    page = page_of(client.get(star.get_absolute_url()))
    assert page.xpath("//ul[@class='links-out']//a/@href")[0] == (
        "https://simbad.cds.unistra.fr/simbad/sim-id?Ident=HD+999999"
    )
    Star.objects.filter(pk=star.pk).update(status="resolved", main_id="* tst 1", ra=1.0, dec=2.0)
    page = page_of(client.get(star.get_absolute_url()))
    assert page.xpath("//ul[@class='links-out']//a/@href")[0] == (
        "https://simbad.cds.unistra.fr/simbad/sim-id?Ident=%2A+tst+1"
    )


def test_the_charts_hold_one_point_per_diameter_and_the_prediction(client, cepheid):
    page = page_of(client.get(cepheid.get_absolute_url()))
    wavelength = json.loads(page.xpath("//script[@id='chart-wavelength']")[0].text)
    year = json.loads(page.xpath("//script[@id='chart-year']")[0].text)
    # Row 1 gives UD and LD; row 3's band "various" is on the year chart only.
    assert len(wavelength["data"]["values"]) == 3
    assert len(year["data"]["values"]) == 4
    assert any(layer.get("data", {}).get("name") == "prediction" for layer in year["layer"])
    assert page.xpath("//figure[@data-chart='chart-wavelength']")
    unplaced = text_of(page.xpath("//p[@class='unplaced']")[0])
    assert unplaced.startswith("Not on the wavelength chart (1): row ")
    assert "(band “various”): its band names no wavelength." in unplaced


def test_every_row_links_to_its_measurements_page(client, cepheid):
    page = page_of(client.get(cepheid.get_absolute_url()))
    links = page.xpath("//div[@class='star-table']//tbody/tr/td[last()]/a/@href")
    assert sorted(links) == sorted(f"/measurement/{m.pk}/" for m in cepheid.measurements.all())


def test_the_star_exports_hold_exactly_its_rows_in_every_format(client, cepheid):
    measurement(id1="HD8481", ld_diam=1.0)  # a name that contains no other's, but alike
    measurement(id1="HD848100", ld_diam=1.0)  # HD84810 is part of its name
    page = page_of(client.get(cepheid.get_absolute_url()))
    exports = {text_of(a): a.get("href") for a in page.xpath("//p[@class='star-exports']/a")}
    assert set(exports) == {
        "CSV",
        "Excel",
        "VOTable",
        "JSON",
        "VizieR jmdc.dat",
        "in the catalogue table",
    }
    for label, url in exports.items():
        assert url.endswith(f"?star={cepheid.pk}"), label
        assert client.get(url).status_code == 200, label
    rows = list(csv.DictReader(io.StringIO(body(client.get(exports["CSV"])))))
    assert sorted(r["BIBCODE"] for r in rows) == [
        "1985AJ.....90.1113W", "2016A&A...587A.117B", "2016MNRAS.455.4231A"
    ]  # fmt: skip
    assert {r["ID1"] for r in rows} == {"HD84810"}
    assert len(json.loads(body(client.get(exports["JSON"])))) == 3


def test_the_stars_exposures_are_drawn_as_uv_coverage_and_timeline(client):
    """Two exposures (invented) of three baselines each: six (u,v) points and their mirrors."""
    from lib import charts
    from tests.obsportal.builders import exposure

    star = measurement(id1="HD360").star
    three = {
        pair: {"length": [40.0, 42.0], "angle": [10.0, 20.0]}
        for pair in ("A0-B2", "B2-C1", "A0-C1")
    }
    for day in (1, 2):
        exposure(f"PIONI.2020-01-0{day}T03:34:07.546_1", 2.0, -8.0, star=star, baselines=three)
    page = page_of(client.get(star.get_absolute_url()))
    coverage = json.loads(page.xpath("//script[@id='star-uv-coverage']")[0].text)
    timeline = json.loads(page.xpath("//script[@id='star-exposure-timeline']")[0].text)
    assert len(charts.marks(coverage)) == 2 * 3 * 2
    assert len(charts.marks(timeline)) == 2
    assert page.xpath("//figure[@data-chart='star-uv-coverage']")


def test_the_send_menus_tap_query_is_the_one_the_catalogue_offers_for_the_stars_selection(
    client, cepheid
):
    """The star page writes its ADQL without a filter form: it must be the catalogue page's
    for the same selection (?star=<id>), which tests/vo runs on /tap."""
    from django.http import QueryDict

    from jmdc.exports import adql_of

    page = page_of(client.get(cepheid.get_absolute_url()))
    shown = text_of(page.xpath("//pre[@class='samp-adql']/code")[0])
    assert shown == adql_of(QueryDict(f"star={cepheid.pk}"))
    assert shown.split(" WHERE ") == ["SELECT * FROM jmdc.measurements", f"star_id = {cepheid.pk}"]


def test_a_star_observed_more_often_than_its_charts_show_counts_every_exposure(client):
    """The heading's count is the charts' (they count beyond the newest 500 they draw)."""
    from django.utils import timezone

    from obsportal.charts import STAR_CHART_EXPOSURES
    from obsportal.models import Exposure

    star = measurement(id1="HD360").star
    many = STAR_CHART_EXPOSURES + 2
    Exposure.objects.bulk_create(
        Exposure(
            exp_id=f"PIONI.2020-01-01T00:00:{n:04d}_1", header_id=f"PIONI.2020-01-01T00:00:{n:04d}",
            mjd_start=58849.0 + n / 1000, mjd_end=58849.0005 + n / 1000, category="science",
            instrument="PIONIER", mode="FREE-H", stations="A0 B2", program="0104.D-0001(A)",
            target_name="HD_360", date_updated=timezone.now(), star=star, ra=2.0, dec=-8.0,
            baselines={"A0-B2": {"length": [10.0, 11.0], "angle": [5.0, 6.0]}},
        )
        for n in range(many)
    )  # fmt: skip
    page = client.get(star.get_absolute_url()).content.decode()
    assert f"{many} exposures at the interferometers" in page
    assert f"The charts show the newest {STAR_CHART_EXPOSURES} of the {many} exposures." in page
    assert "The newest 50; " in page


def test_the_pages_charts_read_back_are_the_ones_altair_builds_from_the_stars_rows(client, cepheid):
    """The page splices the rows into a chart built once (lib.charts.Shape): read back, each
    chart must be, key for key, what Altair builds from the star's rows and prediction."""
    from jmdc.charts import _prediction_row, altair_chart, diameter_points
    from jmdc.models import Measurement
    from jmdc.predictions import prediction_among

    page = page_of(client.get(cepheid.get_absolute_url()))
    rows = list(Measurement.objects.filter(star=cepheid).in_export_order())
    prediction = prediction_among(list(cepheid.source_facts.all()))
    assert prediction is not None
    points = diameter_points(rows)
    for element_id, axis in (("chart-wavelength", "wavelength"), ("chart-year", "year")):
        shown = json.loads(page.xpath(f"//script[@id='{element_id}']")[0].text)
        built = altair_chart(
            [p for p in points if p[axis] is not None], _prediction_row(prediction), axis
        )
        assert shown == built, axis
