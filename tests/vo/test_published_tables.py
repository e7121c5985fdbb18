"""The published views hold exactly what an anonymous visitor may see (the models'
visible_to rule, one rule), and TAP_SCHEMA says of each column what jmdc.columns says."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from jmdc.columns import COLUMNS
from jmdc.models import Measurement, Star
from obsportal.models import Exposure
from tests.vo.fixtures import catalogue_with_secrets

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


def ids(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return sorted(row[0] for row in cursor.fetchall())


def test_the_measurements_view_holds_what_an_anonymous_visitor_sees():
    *_, hidden, _, _ = catalogue_with_secrets()
    public = sorted(Measurement.objects.visible_to(AnonymousUser()).values_list("pk", flat=True))
    assert ids("SELECT measurement_id FROM jmdc.measurements") == public
    assert hidden.pk not in public


def test_the_stars_view_holds_the_stars_an_anonymous_visitor_sees():
    *_, hidden, _, _ = catalogue_with_secrets()
    visible = sorted(Star.objects.visible_to(AnonymousUser()).values_list("pk", flat=True))
    assert ids("SELECT star_id FROM jmdc.stars") == visible
    assert hidden.star_id not in visible


def test_the_exposures_view_and_obscore_hold_every_exposure_visible_to_anyone():
    catalogue_with_secrets()
    visible = sorted(Exposure.objects.visible_to(AnonymousUser()).values_list("exp_id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT exp_id FROM obsportal.exposures")
        assert sorted(r[0] for r in cursor.fetchall()) == visible
        cursor.execute("SELECT obs_id FROM ivoa.obscore")
        assert sorted(r[0] for r in cursor.fetchall()) == visible


def test_obscore_maps_an_exposure_as_oidb_does_with_a_relative_datalink():
    catalogue_with_secrets()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT obs_publisher_did, access_url, access_format, s_ra, t_min, em_min, "
            "instrument_name, facility_name, proposal_id, data_rights, t_exptime "
            "FROM ivoa.obscore ORDER BY obs_id DESC"
        )
        first, second = cursor.fetchall()
    assert first[:8] == (
        "ivo://jmmc.fr/jmdc/exposure?PIONI.2019-03-21T03:14:15.123_0001",
        "/datalink/links?ID=ivo%3A%2F%2Fjmmc.fr%2Fjmdc%2Fexposure%3F"
        "PIONI.2019-03-21T03%3A14%3A15.123_0001",
        "application/x-votable+xml;content=datalink",
        279.2, 58563.1, 1.5e-6, "PIONIER", "VLTI",
    )  # fmt: skip
    assert first[8:10] == ("0102.C-0001(A)", "public")
    assert first[10] == pytest.approx(8.64)
    assert second[9] == "proprietary"


def test_tap_schema_gives_each_catalogue_column_the_unit_and_ucd_of_the_column_table():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, unit, ucd FROM tap_schema.columns "
            "WHERE table_name = 'jmdc.measurements'"
        )
        published = {name: (unit or "", ucd) for name, unit, ucd in cursor.fetchall()}
    for column in COLUMNS:
        assert published[column.field] == (column.unit, column.ucd), column.name


def test_tap_schema_lists_every_published_table_and_itself():
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name FROM tap_schema.tables ORDER BY table_index")
        names = [row[0] for row in cursor.fetchall()]
    assert names == [
        "jmdc.measurements", "jmdc.stars", "obsportal.exposures", "ivoa.ObsCore",
        "TAP_SCHEMA.schemas", "TAP_SCHEMA.tables", "TAP_SCHEMA.columns", "TAP_SCHEMA.keys",
        "TAP_SCHEMA.key_columns",
    ]  # fmt: skip
