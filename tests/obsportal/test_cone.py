"""Cone search: the fallback against brute force at the RA wrap and the poles, and q3c
against the fallback on PostgreSQL."""

import itertools
import random

import pytest
from django.db import connection

from lib.sky import separation
from obsportal.cone import _box, cone, q3c_available
from obsportal.models import Exposure
from tests.obsportal.builders import exposure
from tests.parts import missing_part

pytestmark = pytest.mark.django_db

CENTRES = [
    (0.0, 0.0),
    (359.999, 10.0),
    (0.001, -45.0),
    (180.0, 89.99),
    (12.0, -89.95),
    (200.0, 60.0),
    (90.0, 89.999),  # every cone holds the north pole
    (359.9999, -89.9999),  # the south pole and the wrap at once
    (0.0, 75.0),  # the RA window wide and across the wrap
]
RADII = [30 / 3600, 0.5, 5.0]


@pytest.fixture
def sky():
    """Points scattered around each centre, within and beyond every radius (invented)."""
    rng = random.Random(6)
    n = 0
    for (ra, dec), radius in itertools.product(CENTRES, RADII):
        for _ in range(25):
            d_dec = rng.uniform(-2, 2) * radius
            d_ra = (
                rng.uniform(-2, 2)
                * radius
                / max(0.01, abs(__import__("math").cos(__import__("math").radians(dec))))
            )
            point_dec = max(-90.0, min(90.0, dec + d_dec))
            exposure(f"TEST.{n}_1", (ra + d_ra) % 360.0, point_dec)
            n += 1
    exposure("TEST.nopos_1", None, None)


def brute_force(ra, dec, radius):
    return {
        e.exp_id
        for e in Exposure.objects.exclude(ra=None)
        if separation(ra, dec, e.ra, e.dec) <= radius
    }


@pytest.mark.parametrize("centre", CENTRES)
@pytest.mark.parametrize("radius", RADII)
def test_the_fallback_finds_exactly_the_points_within_the_radius(sky, centre, radius):
    found = set(
        cone(Exposure.objects.all(), *centre, radius, method="fallback").values_list(
            "exp_id", flat=True
        )
    )
    expected = brute_force(*centre, radius)
    assert found == expected
    assert expected  # the fixture puts points inside every cone


def test_the_fallback_reads_the_box_not_the_band_nor_the_table():
    """Rows on the cone's declination but far away in RA, and rows far in declination, are
    left by the indexes' box: only the cone's neighbours are read and tested."""
    for n in range(40):
        exposure(f"BAND.{n}_1", (n * 9.0 + 100.0) % 360.0, -30.0)  # same declination, far RA
        exposure(f"FAR.{n}_1", 359.9999, -30.0 + (n + 1) * 0.01)  # same RA, far declination
    exposure("NEAR.1_1", 0.003, -30.002)  # across the wrap, inside
    exposure("EDGE.1_1", 359.991, -29.992)  # in the box's corner, outside the cone
    read = set(
        Exposure.objects.filter(_box(0.0, -30.0, 30 / 3600)).values_list("exp_id", flat=True)
    )
    assert read == {"NEAR.1_1", "EDGE.1_1"}
    found = cone(Exposure.objects.all(), 0.0, -30.0, 30 / 3600, method="fallback")
    assert set(found.values_list("exp_id", flat=True)) == {"NEAR.1_1"}


def test_separation_is_right_across_the_wrap_and_at_the_pole():
    assert separation(359.99, 0, 0.01, 0) == pytest.approx(0.02)
    assert separation(0, 89.9, 180, 89.9) == pytest.approx(0.2)


@pytest.mark.postgresql
@pytest.mark.parametrize("centre", CENTRES)
@pytest.mark.parametrize("radius", RADII)
def test_q3c_and_the_fallback_give_the_same_answers(sky, centre, radius):
    if not q3c_available():
        missing_part("the q3c extension is not installed in this PostgreSQL")
    by_q3c = set(
        cone(Exposure.objects.all(), *centre, radius, method="q3c").values_list("exp_id", flat=True)
    )
    by_fallback = set(
        cone(Exposure.objects.all(), *centre, radius, method="fallback").values_list(
            "exp_id", flat=True
        )
    )
    assert by_q3c == by_fallback


@pytest.mark.postgresql
def test_the_q3c_cone_reads_its_index_in_a_few_ranges():
    """q3c_radial_query's 100 index ranges took most of a 30" cone's time to plan; the cone
    reads the same index in a few ranges (and keeps the same rows: the test above)."""
    if not q3c_available():
        missing_part("the q3c extension is not installed in this PostgreSQL")
    exposure("NEAR.1_1", 10.0, -20.0)
    found = cone(Exposure.objects.all(), 10.0, -20.0, 30 / 3600, method="q3c")
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        # On a table of one row the planner would rather read it whole, or walk the index of
        # the order: left the bitmap scans, it reads the one index a cone can use.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    ranges = plan.count("Index Scan on obsportal_exposure_q3c")
    assert 1 <= ranges <= 4, plan
    assert set(found.values_list("exp_id", flat=True)) == {"NEAR.1_1"}


@pytest.mark.postgresql
def test_the_fallback_checks_the_ra_window_in_the_index_before_fetching_rows():
    """The declination band is a strip round the sky: its rows outside the box's RA window
    are left in the index (declination, then RA), not fetched to be rejected."""
    exposure("NEAR.1_1", 10.0, -20.0)
    exposure("BAND.1_1", 200.0, -20.0)  # in the band, far in RA
    found = cone(Exposure.objects.all(), 10.0, -20.0, 30 / 3600, method="fallback")
    # Unordered: on a table this small the index of the model's order looks as cheap.
    sql, params = found.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        # A table of two rows: the planner would rather read it whole, or by a bitmap.
        cursor.execute("ANALYZE obsportal_exposure")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Scan using obsportal_exposure_dec_ra" in plan, plan
    index_cond = next(line for line in plan.splitlines() if "Index Cond" in line)
    assert "ra >=" in index_cond and "ra <=" in index_cond, plan
    assert set(found.values_list("exp_id", flat=True)) == {"NEAR.1_1"}


def scs(query: dict) -> str:
    from django.test import Client

    response = Client().get("/scs", {"RA": "10", "DEC": "-20", "SR": "1", **query})
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def exp_ids(body: str) -> list[str]:
    import re

    return re.findall(r"<TR><TD>([^<]+)</TD>", body)


OVERFLOW = '</TABLE>\n<INFO name="QUERY_STATUS" value="OVERFLOW"/>\n</RESOURCE>'


@pytest.fixture
def five_in_the_cone():
    for n in range(5):
        exposure(
            f"TEST.{n}_1", 10.0, -20.0 + n / 1000, mjd_start=58849.0 + n, mjd_end=58849.001 + n
        )


def test_scs_cuts_at_maxrec_and_says_overflow_after_the_table(five_in_the_cone):
    body = scs({"MAXREC": "3"})
    assert exp_ids(body) == ["TEST.0_1", "TEST.1_1", "TEST.2_1"]
    assert OVERFLOW in body
    assert '<INFO name="QUERY_STATUS" value="OK"/>' in body  # before the table, as DALI has it


@pytest.mark.parametrize("maxrec", ["5", "6", ""])
def test_scs_answering_everything_has_no_overflow(five_in_the_cone, maxrec):
    body = scs({"MAXREC": maxrec} if maxrec else {})
    assert len(exp_ids(body)) == 5 and "OVERFLOW" not in body


def test_scs_maxrec_0_gives_the_columns_and_the_overflow_only(five_in_the_cone):
    body = scs({"MAXREC": "0"})
    assert exp_ids(body) == [] and 'ucd="ID_MAIN"' in body and OVERFLOW in body


def test_scs_without_maxrec_stops_at_the_documented_default(five_in_the_cone, settings):
    settings.SCS_MAXREC = 2
    assert len(exp_ids(scs({}))) == 2 and OVERFLOW in scs({})
    assert len(exp_ids(scs({"MAXREC": "1000000"}))) == 2  # never more than the service's limit


@pytest.mark.parametrize("maxrec", ["-1", "ten", "1.5", "²", "①"])
def test_a_bad_maxrec_is_a_votable_error(maxrec):
    body = scs({"MAXREC": maxrec})
    assert f'<INFO name="Error" value="MAXREC=\'{maxrec}\' is not a whole number &gt;= 0"/>' in body


def test_the_overflow_answer_is_a_valid_votable_for_astropy(five_in_the_cone):
    import io

    from astropy.io.votable import parse

    votable = parse(io.BytesIO(scs({"MAXREC": "2"}).encode()))
    table = votable.get_first_table()
    assert list(table.array["exp_id"]) == ["TEST.0_1", "TEST.1_1"]
