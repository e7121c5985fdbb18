"""Which stars a person sees: those of the measurements they may see, and those another app's
rows reveal to them (the catalogue asks; it does not know exposures)."""

import pytest
from django.contrib.auth.models import AnonymousUser, User

from jmdc.models import STAR_SIGHTINGS, Star, StarAlias, reveal_stars_through

pytestmark = pytest.mark.django_db


@pytest.fixture
def sighting_of_observer():
    """Another app (not exposures) whose rows show a star to one observer only."""

    def seen_by_observer(user):
        # Rows with a star_id, as an app's rows are (aliases stand in for them here).
        rows = StarAlias.objects.filter(name="the observer's name for HD 1")
        return rows if user.username == "observer" else rows.none()

    reveal_stars_through(seen_by_observer)
    yield
    STAR_SIGHTINGS.remove(seen_by_observer)


def test_a_star_known_only_from_another_apps_row_is_seen_by_whom_that_app_shows_it(
    sighting_of_observer,
):
    star = Star.objects.create(name="HD 1")
    StarAlias.objects.create(star=star, name="the observer's name for HD 1")
    observer = User.objects.create_user("observer")
    assert list(Star.objects.visible_to(observer)) == [star]
    assert not Star.objects.visible_to(User.objects.create_user("someone"))
    assert not Star.objects.visible_to(AnonymousUser())


def test_exposures_reveal_their_stars_through_the_catalogues_registry():
    from obsportal.apps import stars_seen_in_exposures

    assert stars_seen_in_exposures in STAR_SIGHTINGS
