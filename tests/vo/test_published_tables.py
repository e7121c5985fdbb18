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


def test_stars_are_placed_where_their_page_places_them_simbad_else_the_crossmatch():
    # A fresh install loads the catalogue without SIMBAD: the cross-match's position must be
    # published, or a cone on /tap finds nothing. One rule with the star page's
    # (jmdc.star_identity), held equal here on each case.
    import datetime

    from jmdc.models import SourceFacts
    from jmdc.star_identity import identity_card
    from tests.builders import measurement

    said = datetime.date(2020, 9, 9)
    resolved = measurement(id1="HD172167").star  # SIMBAD's, though the cross-match differs
    Star.objects.filter(pk=resolved.pk).update(status=Star.Status.RESOLVED, main_id="* alf Lyr",
                                               ra=279.2347, dec=38.7837, sp_type="A0Va")  # fmt: skip
    SourceFacts.objects.create(star=resolved, source="crossmatch", as_of=said, ra=279.0,
                               dec=38.0, sp_type="A0V")  # fmt: skip
    fresh = measurement(id1="HD10700").star  # loaded without SIMBAD: the cross-match's
    SourceFacts.objects.create(star=fresh, source="crossmatch", as_of=said, ra=26.017,
                               dec=-15.9375, sp_type="G8V", hd="10700", hip="8102",
                               object_types="PM*,*")  # fmt: skip
    unplaced = measurement(id1="HD360").star  # neither source places it
    SourceFacts.objects.create(star=unplaced, source="crossmatch", as_of=said, sp_type="")

    with connection.cursor() as cursor:
        cursor.execute("SELECT star_id, main_id, ra, dec, pos_source, sp_type, otype, hd, hip "
                       "FROM jmdc.stars")  # fmt: skip
        published = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute("SELECT star_id, main_id, ra, dec, pos_source FROM jmdc.measurements")
        measured = {row[0]: row[1:] for row in cursor.fetchall()}
    for star in Star.objects.filter(pk__in=[resolved.pk, fresh.pk, unplaced.pk]):
        card = identity_card(star, star.source_facts.all(), [])
        source = None
        if card.position is not None:
            source = "simbad" if card.position.source == "SIMBAD" else "crossmatch"
        page = (card.main_id or None, card.ra, card.dec, source,
                card.sp_type.value if card.sp_type else None,
                card.object_type.value if card.object_type else None)  # fmt: skip
        assert published[star.pk][:6] == page, star
        assert measured[star.pk] == page[:4], star
    assert published[fresh.pk] == (None, 26.017, -15.9375, "crossmatch", "G8V", "PM*, *",
                                   "10700", "8102")  # fmt: skip
    assert published[resolved.pk][3] == "simbad"
    assert published[unplaced.pk] == (None,) * 8
