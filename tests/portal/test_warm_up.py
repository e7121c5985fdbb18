"""gunicorn's master asks the main pages once before forking its workers (portal/warm_up.py)."""

import pytest
from django.db import connection

from portal.warm_up import warm_up
from tests.builders import measurement

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_master_asks_the_main_pages_and_a_stars_then_closes_its_database_connection():
    star = measurement().star
    assert warm_up() == [("/", 200), ("/search", 200), (star.get_absolute_url(), 200)]
    # A worker forked now opens its own connection instead of sharing the master's socket.
    assert connection.connection is None


def test_an_empty_catalogue_is_warmed_without_a_star_page():
    assert warm_up() == [("/", 200), ("/search", 200)]
