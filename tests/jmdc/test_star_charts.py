"""The star page's charts, drawn by the server as the PDF export and a browser without
JavaScript would get them (lib/charts.marks reads the drawing's marks, no pixels): one point per
diameter given, each saying its bibcode, the prediction's band there exactly when the star has
a prediction."""

import datetime

import pytest

from jmdc.charts import (
    _prediction_row,
    altair_chart,
    diameter_against_wavelength,
    diameter_against_year,
    diameter_points,
    publication_year,
)
from jmdc.models import Measurement
from jmdc.predictions import Prediction
from lib import charts

PREDICTION = Prediction(3.2, 0.1, "jsdc", datetime.date(2024, 5, 1), "VizieR II/346: l Car")


def row(pk, *, ud=None, ld=None, band="H", method=1, bibcode="2016A&A...587A.117B", notes=""):
    return Measurement(
        pk=pk, id1="HD 84810", ud_diam=ud, ld_diam=ld, e_ld_diam=0.016, band=band,
        method=method, bibcode=bibcode, notes=notes,
    )  # fmt: skip


ROWS = [
    row(1, ud=3.1059, band="H", bibcode="2016A&A...587A.117B", notes="Time serie of Cepheid."),
    row(2, ud=3.0977, ld=3.2484, band="K", bibcode="2016MNRAS.455.4231A"),
    row(3, ld=2.9, band="800nm", method=2, bibcode="1985AJ.....90.1113W"),
    row(4, ld=3.0, band="various", method=None, bibcode="2004A&A...416..941K"),
    row(5, ud=-1.0, ld=3.3, band="2.2", bibcode="2019......8.......5"),  # -1: the file's none
]


def points(spec):
    return [mark for mark in charts.marks(spec) if mark.get("ariaRoleDescription") == "point"]


def prediction_marks(spec):
    return [m for m in charts.marks(spec) if "Predicted LD" in (m.get("description") or "")]


def test_the_wavelength_chart_has_one_point_per_diameter_placed_at_a_wavelength():
    drawn = points(diameter_against_wavelength(ROWS, PREDICTION))
    # Row 2 gives UD and LD (two points); row 4's BAND "various" has no wavelength; row 5's UD
    # of -1 is no diameter.
    assert len(drawn) == 5
    descriptions = sorted(mark["description"] for mark in drawn)
    assert descriptions == [
        "LD 2.9 ± 0.016 mas at 0.8 µm (band 800nm), lunar occultation, 1985AJ.....90.1113W (1985)",
        "LD 3.2484 ± 0.016 mas at 2.19 µm (band K), optical interferometry, 2016MNRAS.455.4231A (2016)",
        "LD 3.3 ± 0.016 mas at 2.2 µm (band 2.2), optical interferometry, 2019......8.......5 (2019)",
        "UD 3.0977 ± 0.016 mas at 2.19 µm (band K), optical interferometry, 2016MNRAS.455.4231A (2016)",
        "UD 3.1059 ± 0.016 mas at 1.63 µm (band H), optical interferometry, 2016A&A...587A.117B (2016)",
    ]


def test_the_year_chart_has_one_point_per_diameter_whatever_its_band():
    drawn = points(diameter_against_year(ROWS, PREDICTION))
    assert len(drawn) == 6
    assert sum("2004A&A...416..941K" in mark["description"] for mark in drawn) == 1
    # Later years to the right.
    by_year = {mark["description"][-5:-1]: mark["x"] for mark in drawn}
    assert by_year["1985"] < by_year["2004"] < by_year["2016"] < by_year["2019"]


@pytest.mark.parametrize("chart", [diameter_against_wavelength, diameter_against_year])
def test_the_prediction_is_drawn_as_a_band_only_when_the_star_has_one(chart):
    with_prediction = prediction_marks(chart(ROWS, PREDICTION))
    assert {m["description"] for m in with_prediction} == {
        "Predicted LD diameter 3.200 ± 0.100 mas from the JSDC (VizieR II/346)"
    }
    band = next(m for m in with_prediction if "height" in m)  # the shaded rectangle
    assert band["height"] > 0
    assert prediction_marks(chart(ROWS, None)) == []


def test_each_point_leads_to_its_measurements_page_and_shows_its_notes_on_hover():
    spec = diameter_against_wavelength(ROWS, None)
    values = spec["data"]["values"]
    first = next(v for v in values if v["measurement"] == 1)
    assert first["url"] == "/measurement/1/"
    assert first["notes"] == "Time serie of Cepheid."
    encoding = spec["layer"][-1]["encoding"]
    assert encoding["href"]["field"] == "url"
    assert {"bibcode", "band", "notes"} <= {t["field"] for t in encoding["tooltip"]}


def test_a_star_without_measurements_gets_empty_charts_that_still_draw():
    assert points(diameter_against_wavelength([], None)) == []
    assert points(diameter_against_year([], PREDICTION)) == []


@pytest.mark.parametrize(
    "bibcode, year",
    [("2016A&A...587A.117B", 2016), ("1921ApJ....53..249M", 1921), ("2019......8.......5", 2019),
     ("...................", None)],
)  # fmt: skip
def test_the_year_of_a_measurement_is_its_bibcodes(bibcode, year):
    assert publication_year(bibcode) == year


@pytest.mark.parametrize("prediction", [PREDICTION, None])
def test_the_page_chart_is_the_one_altair_builds_from_the_same_rows(prediction):
    """The page fills a chart built once with each star's data; it must be, key for key, what
    Altair builds from that star's rows and prediction."""
    row_of = _prediction_row(prediction) if prediction else None
    everything = diameter_points(ROWS)
    assert diameter_against_wavelength(ROWS, prediction) == altair_chart(
        [p for p in everything if p["wavelength"] is not None], row_of, "wavelength"
    )
    assert diameter_against_year(ROWS, prediction) == altair_chart(
        [p for p in everything if p["year"] is not None], row_of, "year"
    )


def test_two_stars_charts_share_no_data():
    """The shape is built once: filling it for one star leaves the next star's chart empty."""
    diameter_against_year(ROWS, PREDICTION)
    assert diameter_against_year([], None)["data"]["values"] == []
