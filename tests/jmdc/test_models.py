"""The database holds the catalogue's invariants even when code forgets them."""

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from jmdc.models import Measurement, Star
from tests.builders import measurement, tomorrow

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fields",
    [
        {"method": 0},
        {"method": 4},
        {"bandcode": 0},
        {"bandcode": 13},
        {"ud_diam": None, "ld_diam": None},
        {"ud_diam": -1.0},
        {"ld_diam": 0.0},
        {"e_ld_diam": -0.1},
        {"mu_lambda": -0.3},
        {"id1": ""},
        {"bibcode": ""},
        {"embargo_until": tomorrow()},  # an embargo without a group nobody could lift
    ],
    ids=lambda fields: ",".join(f"{k}={v}" for k, v in fields.items()),
)
def test_the_database_refuses_a_measurement_that_breaks_the_catalogue_rules(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        measurement(**fields)
    assert Measurement.objects.count() == 0


def test_nullable_columns_accept_null_as_the_catalogue_does():
    row = measurement(ud_diam=1.2, ld_diam=None, e_ld_diam=None, mu_lambda=None, method=None,
                      bandcode=None)  # fmt: skip
    row.refresh_from_db()
    assert (row.ld_diam, row.e_ld_diam, row.method, row.bandcode) == (None, None, None, None)


def test_a_float_comes_back_from_the_database_exactly_as_typed():
    row = measurement(ld_diam=1.6179999999999999, mu_lambda=1.11803)
    row.refresh_from_db()
    assert (repr(row.ld_diam), repr(row.mu_lambda)) == ("1.6179999999999999", "1.11803")


def test_a_star_name_is_unique_and_not_empty():
    Star.objects.create(name="HD360")
    with pytest.raises(IntegrityError), transaction.atomic():
        Star.objects.create(name="HD360")
    with pytest.raises(IntegrityError), transaction.atomic():
        Star.objects.create(name="")


def test_coordinates_outside_the_sky_are_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        Star.objects.create(name="HD1", ra=360.0, dec=0.0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Star.objects.create(name="HD2", ra=10.0, dec=-90.5)


def test_a_star_with_measurements_cannot_be_deleted_from_under_them():
    row = measurement()
    with pytest.raises(IntegrityError), transaction.atomic():
        Star.objects.filter(pk=row.star_id).delete()


def test_an_embargo_ends_on_its_date():
    group = Group.objects.create(name="g")
    row = measurement(group=group, embargo_until=tomorrow())
    assert row.is_embargoed
    assert not Measurement.objects.public().exists()
