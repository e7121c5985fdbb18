"""Cells the database writes for OiDB's answer on either database (SQLite through Python,
PostgreSQL in SQL): dates as the original service wrote them (isoformat to the second, UTC),
the baselines as the clients read them. Values INVENTED."""

import datetime
import io

import pytest
from astropy.io.votable import parse_single_table

from obsportal.headers import baselines_string
from obsportal.models import Exposure
from obsportal.votable_answers import search_votable
from tests.obsportal.builders import exposure

pytestmark = pytest.mark.django_db

PARIS = datetime.timezone(datetime.timedelta(hours=1))


def answer() -> dict[str, dict]:
    pieces = search_votable(Exposure.objects.all(), all_fields=True)
    data = b"".join(p if isinstance(p, bytes) else p.encode() for p in pieces)
    table = parse_single_table(io.BytesIO(data)).to_table()
    return {row["exp_id"]: row for row in table}


def test_dates_are_written_to_the_second_in_utc_and_a_missing_one_is_empty():
    updated = datetime.datetime(2019, 2, 16, 5, 26, 53, 999999, tzinfo=PARIS)
    exposure("TEST.1_1", 10.0, -10.0, date_updated=updated, date_release=None)
    exposure(
        "TEST.2_1", 11.0, -10.0, mjd_start=58850.0, mjd_end=58850.1,
        date_updated=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
        date_release=datetime.datetime(1999, 12, 31, 23, 59, 59, 1, tzinfo=datetime.UTC),
    )  # fmt: skip
    rows = answer()
    assert rows["TEST.1_1"]["exp_date_updated"] == "2019-02-16 04:26:53+00:00"
    assert rows["TEST.1_1"]["exp_date_release"] is None or not rows["TEST.1_1"]["exp_date_release"]
    assert rows["TEST.2_1"]["exp_date_updated"] == "2020-01-01 00:00:00+00:00"
    assert rows["TEST.2_1"]["exp_date_release"] == "1999-12-31 23:59:59+00:00"
    for e in Exposure.objects.all():  # what Python's isoformat says of the stored time
        assert rows[e.exp_id]["exp_date_updated"] == e.date_updated.isoformat(" ", "seconds")


def test_the_baselines_cell_is_the_clients_string_escaped_and_cleaned():
    baselines = {"A0<&>B2": {"length": [10.0, None], "angle": [5.0, 6.0]}, "C\x01-D\ufffe": {"length": [1.0, 2.0], "angle": [3.0, 4.0]}}  # fmt: skip
    exposure("TEST.1_1", 10.0, -10.0, baselines=baselines)
    exposure("TEST.2_1", 11.0, -10.0, mjd_start=58850.0, mjd_end=58850.1, baselines={})
    rows = answer()
    # Read back by astropy: the markup unescaped, the characters XML forbids gone.
    assert rows["TEST.1_1"]["exp_projected_baselines"] == baselines_string(baselines).replace(
        "\x01", ""
    ).replace("\ufffe", "")
    assert not rows["TEST.2_1"]["exp_projected_baselines"]
