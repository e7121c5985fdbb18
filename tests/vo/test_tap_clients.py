"""The field's own clients against the portal served live on PostgreSQL: pyvo runs the
queries an astronomer would, and STILTS taplint, the VO's validator of TAP services, finds
no error. taplint's async stages (UWS, QAS) wait for the UWS jobs of vo/uws (issue 18)."""

import os
import re
import shutil
import subprocess

import pytest
import pyvo

from tests.parts import missing_part
from tests.vo.fixtures import catalogue_with_secrets

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tap(live_server):
    catalogue_with_secrets()
    return pyvo.dal.TAPService(f"{live_server.url}/tap")


def test_pyvo_runs_a_cone_with_contains(tap):
    result = tap.run_sync(
        "SELECT main_id, ld_diam, e_ld_diam FROM jmdc.measurements "
        "WHERE 1 = CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 279.2347, 38.7837, 0.5))"
    ).to_table()
    assert list(result["main_id"]) == ["* alf Lyr"]
    assert list(result["ld_diam"]) == [3.28]
    assert str(result["ld_diam"].unit) == "mas"


def test_pyvo_joins_measurements_and_stars(tap):
    result = tap.run_sync(
        "SELECT s.main_id, s.sp_type, m.ld_diam FROM jmdc.measurements AS m "
        "JOIN jmdc.stars AS s ON m.star_id = s.star_id ORDER BY 3 DESC"
    ).to_table()
    assert [tuple(row) for row in result] == [("* alf Lyr", "A0Va", 3.28), ("* tau Cet", "", 2.015)]


def test_pyvo_queries_obscore_with_each_exposures_datalink(tap, live_server):
    result = tap.run_sync(
        "SELECT obs_id, instrument_name, em_min, access_url, data_rights FROM ivoa.ObsCore "
        "ORDER BY obs_id"
    ).to_table()
    assert list(result["obs_id"]) == [
        "GRAVI.2026-01-01T01:00:00.000_0002", "PIONI.2019-03-21T03:14:15.123_0001",
    ]  # fmt: skip
    assert list(result["data_rights"]) == ["proprietary", "public"]
    assert result["access_url"][1] == (
        f"{live_server.url}/datalink/links?ID=ivo%3A%2F%2Fjmmc.fr%2Fjmdc%2Fexposure%3F"
        "PIONI.2019-03-21T03%3A14%3A15.123_0001"
    )


def test_pyvo_reads_a_refusal_as_a_query_error(tap):
    with pytest.raises(pyvo.dal.DALQueryError, match=r"Column secret is not in jmdc\.stars"):
        tap.run_sync("SELECT secret FROM jmdc.stars")


def test_taplint_reports_no_error(live_server):
    if shutil.which("stilts") is None or shutil.which("java") is None:
        missing_part("STILTS (Debian's stilts package, with Java) is needed to run taplint")
    catalogue_with_secrets()
    run = subprocess.run(
        ["stilts", "taplint", f"tapurl={live_server.url}/tap", "report=EW"],  # every stage
        capture_output=True, text=True, timeout=600, env={**os.environ, "LANG": "C"},
    )  # fmt: skip
    errors = [line for line in run.stdout.splitlines() if re.match(r"E-[A-Z]{3}-", line)]
    assert "Totals:" in run.stdout, run.stdout[-2000:] + run.stderr[-2000:]
    assert errors == [], "\n".join(errors)
