"""What the whole suite shares: where the real data is, which database runs, the stand-ins of
remote services; the personas, the submitted rows and the brokers come as plugins, so that any
test asks for their fixtures by name and no test module imports another's (tests/test_project.py
keeps it so). Helpers that are no fixtures are small modules: tests/builders.py, tests/pages.py,
tests/parts.py (a missing part skips, or fails under CI=true).
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.parts import missing_part

pytest_plugins = ["tests.personas", "tests.rows", "tests.broker"]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    path = Path(settings.SHARED_DATA_DIR)
    if not (path / "jmdc").is_dir():
        missing_part(f"the real data folder {path} is absent; tests on real files need ../shared")
    return path


def pytest_collection_modifyitems(config, items):
    """Deselect (visibly, in the summary) tests that belong to the other database."""
    vendor = connection.vendor
    other = {"sqlite": "postgresql", "postgresql": "sqlite"}.get(vendor)
    kept, deselected = [], []
    for item in items:
        (deselected if other and item.get_closest_marker(other) else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def pytest_report_header(config):
    return f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']})"


@pytest.fixture(autouse=True, scope="session")
def tasks_run_in_the_test_process():
    """The suite runs tasks eagerly, in the calling process: the only place where they do
    (the portal itself always queues them). Tests that need a real broker and worker start
    them and set these back for their own duration."""
    from portal.celery import app

    app.conf.task_always_eager, app.conf.broker_url = True, "memory://"
    yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Personas are created in many tests; PBKDF2's deliberate slowness is for real passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_real_simbad(settings):
    """Nothing in the suite reaches the internet: by default SIMBAD is a closed local port;
    tests that need it start the stand-in (fixture ``simbad``)."""
    from jmdc.simbad import get_client

    settings.SIMBAD_TAP_URL = "http://127.0.0.1:9/simbad/sim-tap"
    settings.SIMBAD_TIMEOUT = 2
    get_client.cache_clear()
    yield
    get_client.cache_clear()


@pytest.fixture
def simbad(settings, shared_dir):
    """The SIMBAD stand-in on 127.0.0.1, with the portal's client pointed at it."""
    from jmdc.simbad import get_client
    from standins.simbad import SimbadStandIn

    with SimbadStandIn(shared_dir=shared_dir / "simbad") as standin:
        settings.SIMBAD_TAP_URL = standin.url
        settings.SIMBAD_MAX_REQUESTS_PER_SECOND = 100
        get_client.cache_clear()
        yield standin


@pytest.fixture(autouse=True)
def no_real_vizier(settings):
    """Nor VizieR (the JSDC's predictions): a closed local port unless a test starts the
    stand-in (fixture ``vizier``)."""
    from jmdc.jsdc import get_client

    settings.VIZIER_URL = "http://127.0.0.1:9/viz-bin/votable"
    settings.VIZIER_TIMEOUT = 2
    get_client.cache_clear()
    yield
    get_client.cache_clear()


@pytest.fixture
def vizier(settings):
    """The VizieR stand-in on 127.0.0.1 (its JSDC rows are the test's, never VizieR's), with
    the portal's JSDC client pointed at it."""
    from jmdc.jsdc import get_client
    from standins.vizier import VizierStandIn

    with VizierStandIn() as standin:
        settings.VIZIER_URL = standin.url
        settings.VIZIER_MAX_REQUESTS_PER_SECOND = 100
        get_client.cache_clear()
        yield standin


@pytest.fixture(autouse=True)
def no_real_eso(settings, tmp_path_factory):
    """Nor the ESO archive: a closed local port unless a test starts the stand-in (``eso``);
    each test gets its own empty header cache."""
    settings.ESO_TAP_URL = "http://127.0.0.1:9/tap_obs"
    settings.ESO_HEADER_URL = "http://127.0.0.1:9/hdr"
    settings.ESO_TIMEOUT = 2
    settings.ESO_HEADER_CACHE_DIR = str(tmp_path_factory.mktemp("eso-headers"))


@pytest.fixture
def eso(settings, shared_dir):
    """The ESO archive stand-in (TAP dbo.raw and the header service) on 127.0.0.1."""
    from standins.eso import EsoArchiveStandIn

    with EsoArchiveStandIn(shared_dir=shared_dir / "obsportal") as standin:
        settings.ESO_TAP_URL = standin.tap_url
        settings.ESO_HEADER_URL = standin.header_url
        settings.ESO_MAX_REQUESTS_PER_SECOND = 1000
        yield standin
