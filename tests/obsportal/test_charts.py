"""The exposures' charts drawn by the server, without a browser: one mark per baseline (and
its mirror) per exposure, the tracks from start to end, one tick per exposure on the timeline.
Baselines and dates are invented, in the shape of the headers'."""

import json
import math

import pytest

from lib import charts
from obsportal import charts as exposure_charts
from tests.obsportal.builders import exposure

pytestmark = pytest.mark.django_db

THREE_TELESCOPES = {
    "A0-B2": {"length": [10.0, 11.0], "angle": [0.0, 10.0]},
    "A0-C1": {"length": [20.0, 21.0], "angle": [90.0, 95.0]},
    "B2-C1": {"length": [30.0, 31.0], "angle": [None, 100.0]},  # a header without one angle
}


def descriptions(spec) -> list[str]:
    return sorted(item["description"] for item in charts.marks(spec))


def test_the_coverage_has_a_point_and_its_mirror_per_baseline_per_exposure():
    pionier = exposure("PIONI.A_1", 10.0, 10.0, baselines=THREE_TELESCOPES)
    gravity = exposure(
        "GRAVI.A_1", 10.0, 10.0, instrument="GRAVITY",
        baselines={"U1-U2": {"length": [50.0, 50.0], "angle": [30.0, 30.0]}},
    )  # fmt: skip
    drawn = descriptions(exposure_charts.uv_coverage([pionier, gravity]))
    # 3 + 1 baselines, each twice ((u,v) and (-u,-v)).
    assert len(drawn) == 8
    assert "GRAVI.A_1 U1-U2 (GRAVITY), mirrored" in drawn
    assert "PIONI.A_1 B2-C1 (PIONIER)" in drawn  # its start angle is missing, its end is not


def test_a_baseline_is_placed_by_its_length_and_position_angle_east_of_north():
    pointing_east = exposure(
        "PIONI.E_1", 1.0, 1.0, baselines={"A0-B2": {"length": [40.0, 40.0], "angle": [90, 90]}}
    )
    rows = exposure_charts.uv_coverage_rows([pointing_east])
    assert (rows[0]["u"], rows[0]["v"]) == (40.0, pytest.approx(0.0, abs=1e-9))
    assert (rows[1]["u"], rows[1]["v"]) == (-40.0, pytest.approx(0.0, abs=1e-9))
    north = exposure_charts.uv_point(25.0, 0.0)
    assert north == (0.0, 25.0)
    assert math.hypot(*exposure_charts.uv_point(25.0, 37.0)) == pytest.approx(25.0)


def test_the_tracks_of_an_exposure_go_from_start_to_end_for_each_baseline():
    three = exposure("PIONI.A_1", 10.0, 10.0, baselines=THREE_TELESCOPES)
    drawn = charts.marks(exposure_charts.uv_tracks(exposure_charts.uv_tracks_rows(three)))
    tracks = [item for item in drawn if "track" in item["description"]]
    starts = [item for item in drawn if "start" in item["description"]]
    # B2-C1 lacks its start angle: no track for it, two for each of the others.
    assert sorted(item["description"] for item in tracks) == [
        "A0-B2 track", "A0-B2 track, mirrored", "A0-C1 track", "A0-C1 track, mirrored",
    ]  # fmt: skip
    assert len(starts) == 4
    # A track has a length on the chart: its start and end differ (the angle turned 10°).
    a0b2 = next(item for item in tracks if item["description"] == "A0-B2 track")
    assert (a0b2["x"], a0b2["y"]) != (a0b2["x2"], a0b2["y2"])


def test_the_timeline_has_one_tick_per_exposure_on_the_row_of_its_instrument():
    made = [
        exposure(f"PIONI.{n}_1", 1.0, 1.0, mjd_start=58849.0 + n, mjd_end=58849.01 + n)
        for n in range(3)
    ] + [exposure("GRAVI.A_1", 1.0, 1.0, instrument="GRAVITY", mjd_start=60000.125,
                  mjd_end=60000.13)]  # fmt: skip
    drawn = descriptions(exposure_charts.timeline(made))
    assert len(drawn) == 4
    assert "GRAVI.A_1, GRAVITY, 2023-02-25 03:00 UT (MJD 60000.12500)" in drawn
    svg = charts.to_svg(exposure_charts.timeline(made))
    assert "GRAVITY" in svg and "PIONIER" in svg


def test_a_stars_exposure_charts_show_every_exposure_in_two_queries_at_most(
    django_assert_max_num_queries,
):
    from django.template.loader import render_to_string

    from jmdc.models import Star
    from obsportal.models import Exposure

    star = Star.objects.create(name="HD 1")
    for n in range(3):
        exposure(f"PIONI.{n}_1", 1.0, 1.0, star=star, mjd_start=58849.0 + n, mjd_end=58849.1 + n)
    exposure("GRAVI.A_1", 1.0, 1.0, instrument="GRAVITY")  # another star's
    with django_assert_max_num_queries(2):
        context = exposure_charts.star_exposure_charts(Exposure.objects.filter(star=star))
    assert context["count"] == 3
    assert len(charts.marks(context["coverage"])) == 3 * 2  # one baseline each, and its mirror
    assert len(charts.marks(context["timeline"])) == 3
    html = render_to_string("includes/star_exposure_charts.html", {"exposure_charts": context})
    assert 'data-chart="star-uv-coverage"' in html and 'data-chart="star-exposure-timeline"' in html
    nothing = exposure_charts.star_exposure_charts(Exposure.objects.filter(star=None, pk=0))
    assert "figure" not in render_to_string(
        "includes/star_exposure_charts.html", {"exposure_charts": nothing}
    )


def test_the_star_pages_charts_are_those_altair_builds_from_the_same_exposures():
    """The star page fills charts built once per shape: key for key what Altair builds."""
    made = [
        exposure("PIONI.A_1", 10.0, 10.0, baselines=THREE_TELESCOPES),
        exposure("GRAVI.A_1", 10.0, 10.0, instrument="GRAVITY", mjd_start=60000.125,
                 mjd_end=60000.13, baselines={"U1-U2": {"length": [150.0, 150.0], "angle": [30.0, 30.0]}}),
    ]  # fmt: skip
    rows = exposure_charts.uv_coverage_rows(made)
    coverage = json.loads(exposure_charts.uv_coverage(made))
    assert coverage == exposure_charts.altair_coverage(rows, 130.0)
    assert json.loads(exposure_charts.timeline(made)) == exposure_charts.altair_timeline(
        exposure_charts.timeline_rows(made)
    )
    # The shapes are shared: the next star's charts hold its own rows only.
    assert json.loads(exposure_charts.timeline([]))["data"]["values"] == []


def test_the_exposure_pages_tracks_are_those_altair_builds_from_the_same_exposure():
    """The tracks fill a shape built once per extent: key for key what Altair builds."""
    three = exposure("PIONI.A_1", 10.0, 10.0, baselines=THREE_TELESCOPES)
    rows = exposure_charts.uv_tracks_rows(three)
    tracks = json.loads(exposure_charts.uv_tracks(rows))
    # The longest track reaches 21 m (B2-C1 lacks an angle, so has none): axes to 30 m.
    assert tracks == exposure_charts.altair_tracks(rows, 30.0)
    assert tracks["data"]["values"] == rows and len(rows) == 2 * 2
