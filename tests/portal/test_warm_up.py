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


def test_the_master_freezes_what_it_built_out_of_the_workers_garbage_collections(monkeypatch):
    """A full collection in a worker walked every object the master built (Django, the
    warm-up): the load bench's slowest page requests. Frozen before the fork, they are not."""
    import gc
    import logging
    import runpy
    from pathlib import Path
    from types import SimpleNamespace

    monkeypatch.setenv("GUNICORN_WARM_UP", "0")  # the warm-up itself is tested above
    settings = runpy.run_path(str(Path(__file__).parents[2] / "gunicorn.conf.py"))
    gc.unfreeze()
    try:
        settings["when_ready"](SimpleNamespace(log=logging.getLogger("gunicorn.error")))
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
