"""AnyOf (lib/lookups.py): the rows whose field is one of many values, on both databases."""

import datetime

import pytest
from django.db.models import F

from lib.lookups import AnyOf
from obsportal.models import Exposure, HarvestRun

pytestmark = [pytest.mark.django_db]


def exposure(exp_id: str) -> Exposure:
    return Exposure(
        exp_id=exp_id, header_id=exp_id, mjd_start=58849.0, mjd_end=58849.1,
        category="science", instrument="PIONIER", date_updated=datetime.datetime.now(datetime.UTC),
    )  # fmt: skip


def test_any_of_finds_what_in_finds_among_thousands_of_values_and_hostile_ones():
    names = ["A.1", "B'); DROP TABLE obsportal_exposure; --", 'C\\"{,}', "é ✓"]
    Exposure.objects.bulk_create(exposure(name) for name in [*names, "NOT ASKED"])
    asked = [*names, *(f"ABSENT.{n}" for n in range(3000))]
    found = Exposure.objects.filter(AnyOf(F("exp_id"), asked)).values_list("exp_id", flat=True)
    assert sorted(found) == sorted(names)
    assert sorted(found) == sorted(
        Exposure.objects.filter(exp_id__in=asked).values_list("exp_id", flat=True)
    )


def test_any_of_nothing_finds_nothing_and_values_are_prepared_for_their_field():
    Exposure.objects.bulk_create([exposure("A.1")])
    assert not Exposure.objects.filter(AnyOf(F("exp_id"), [])).exists()
    run = HarvestRun.objects.create(since_modified="2020", reached_modified="2021")
    # integers given as text, as a form would give them: the field's own preparation
    assert list(HarvestRun.objects.filter(AnyOf(F("pk"), [str(run.pk), "0"]))) == [run]


def test_any_of_refuses_a_string_rather_than_asking_for_its_characters():
    with pytest.raises(TypeError, match="a list of values, not str"):
        list(Exposure.objects.filter(AnyOf(F("exp_id"), "A.1")))
