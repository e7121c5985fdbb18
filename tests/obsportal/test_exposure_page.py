"""The exposure page as an observer reads it: UT dates beside MJD, one unit per quantity (tau0
in ms, as in the search list), missing values in words, links to the star, the programme at
ESO and the file at the archive, and the (u,v) tracks drawn. Values invented."""

import html
import re

import pytest
from django.test import Client

from jmdc.models import Star
from lib import charts
from tests.obsportal.builders import exposure

pytestmark = pytest.mark.django_db


def page_of(exp_id: str) -> str:
    response = Client().get(f"/detail/exposure/{exp_id}")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_the_page_gives_the_ut_dates_beside_the_mjd():
    # MJD 60000.125 is 2023-02-25 03:00 UT; 60 s later it ends.
    exposure("PIONI.A_1", 1.0, 1.0, mjd_start=60000.125, mjd_end=60000.125 + 60 / 86400)
    text = text_of(page_of("PIONI.A_1"))
    assert "2023-02-25 03:00:00 – 2023-02-25 03:01:00 UT" in text
    assert "MJD 60000.125000 – 60000.125694" in text
    assert "60.0 s" in text


def test_tau0_is_in_milliseconds_on_the_page_as_in_the_search_list():
    exposure("PIONI.A_1", 1.0, 1.0, tau0=0.0042, seeing=0.81, temperature=12.5)
    text = text_of(page_of("PIONI.A_1"))
    assert "τ0 4.2 ms" in text and "seeing 0.81″" in text and "temperature 12.5 °C" in text
    listed = text_of(html.unescape(Client().get("/search").content.decode()))
    assert "τ0 (ms)" in listed and " 4.2 " in listed


def test_what_the_header_lacked_is_said_in_words():
    exposure(
        "PIONI.A_1", None, None, obs_id=None, tau0=None, seeing=None, temperature=None,
        baselines={"A0-B2": {"length": [10.0, None], "angle": [None, 6.0]}},
    )  # fmt: skip
    text = text_of(page_of("PIONI.A_1"))
    assert "OB not in the header" in text
    assert "τ0 not in the header" in text
    assert "seeing not in the header" in text
    assert "temperature not in the header" in text
    assert "no valid position" in text
    assert "A0-B2 10.000 not in the header not in the header 6.00" in text
    assert "No (u,v) track: the header gives no baseline" in text


def test_the_target_programme_and_file_link_to_their_pages(settings):
    settings.ESO_HEADER_URL = (
        "https://archive.eso.org/hdr"  # production's; the suite's is a dead end
    )
    star = Star.objects.create(name="HD 1", main_id="HD 1", status=Star.Status.RESOLVED)
    exposure("PIONI.2019-01-01T01:02:03.456_1", 1.0, 1.0, target_name="HD_1", star=star,
             program="0104.D-0001(A)")  # fmt: skip
    page = page_of("PIONI.2019-01-01T01:02:03.456_1")
    assert f'<a href="{star.get_absolute_url()}">HD_1</a>' in page
    assert (
        '<a href="https://archive.eso.org/wdb/wdb/eso/sched_rep_arc/query?progid=0104.D-0001%28A%29">0104.D-0001(A)</a>'
        in page
    )
    assert 'href="https://archive.eso.org/hdr?DpId=PIONI.2019-01-01T01%3A02%3A03.456"' in page
    assert (
        'href="https://archive.eso.org/datalink/links?ID=ivo://eso.org/ID?PIONI.2019-01-01T01:02:03.456"'
        in page
    )


def test_the_page_draws_the_exposures_uv_tracks():
    exposure("PIONI.A_1", 1.0, 1.0, baselines={
        "A0-B2": {"length": [10.0, 11.0], "angle": [5.0, 6.0]},
        "A0-C1": {"length": [20.0, 21.0], "angle": [50.0, 52.0]},
    })  # fmt: skip
    response = Client().get("/detail/exposure/PIONI.A_1")
    spec = response.context["tracks"]
    tracks = [m for m in charts.marks(spec) if "track" in m["description"]]
    assert len(tracks) == 4  # two baselines and their mirrors
    page = response.content.decode()
    assert (
        'data-chart="uv-tracks"' in page
        and '<script id="uv-tracks" type="application/json">' in page
    )
    assert "<svg" in page  # the server's drawing, until (or unless) the browser draws it
