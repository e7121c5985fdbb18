"""Cone search: the fallback against brute force at the RA wrap and the poles, and q3c
against the fallback on PostgreSQL."""

import itertools
import random

import pytest

from obsportal.cone import cone, q3c_available, separation
from obsportal.models import Exposure
from tests.conftest import missing_part
from tests.obsportal.builders import exposure

pytestmark = pytest.mark.django_db

CENTRES = [
    (0.0, 0.0),
    (359.999, 10.0),
    (0.001, -45.0),
    (180.0, 89.99),
    (12.0, -89.95),
    (200.0, 60.0),
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
