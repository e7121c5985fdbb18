"""Seeding a developer's portal (what `make run` does before serving)."""

from io import StringIO

import pytest
from astropy.table import MaskedColumn, Table
from django.core.management import call_command

from jmdc.importing.catalogue_file import read_catalogue_file
from jmdc.importing.vizier import table_to_export_csv
from jmdc.models import Measurement, Release, SourceFacts, Star

pytestmark = pytest.mark.django_db


def load(*args) -> str:
    out = StringIO()
    call_command("load_catalogue", *args, stdout=out)
    return out.getvalue()


def test_it_loads_the_real_2020_snapshot_and_the_release_history_once(shared_dir):
    first = load("--no-network")
    assert "1766 added" in first and "Loaded 13 historical releases" in first
    assert Measurement.objects.count() == 1766 and Release.objects.count() == 13
    again = load("--no-network")
    assert "already has 1766 measurements" in again and "historical" not in again
    assert Measurement.objects.count() == 1766 and Release.objects.count() == 13


def test_every_star_of_the_2020_catalogue_gets_the_cross_match_identity_and_photometry(
    shared_dir,
):
    output = load("--no-network")
    assert (
        # 925 rows for 924 stars: the file's GJ 876 and GJ876 are one star by designation.
        "JMDC_full_20200730_crossmatch.csv: 925 rows read: cross-match facts for 924 stars of the "
        "catalogue." in output
    )
    stars = Star.objects.count()
    facts = SourceFacts.objects.filter(source="crossmatch")
    assert facts.count() == stars
    # Every star has its catalogue identity from the cross-match: a position (all but the one
    # row the 2020 file gives none), catalogue numbers, a spectral type, magnitudes.
    assert facts.filter(ra__isnull=True).count() == 1
    vega = facts.get(star__name="HD172167")
    assert (vega.hd, vega.hip, vega.as_of.isoformat()) == ("HD 172167", "HIP 91262", "2020-09-09")
    assert vega.sp_type.startswith("A0") and vega.v_mag is not None
    assert "8f755a111fc7da2c682e8220e645e6070ccf9f3f" in vega.reference
    # Nothing is passed off as SIMBAD's: the stars are still waiting for SIMBAD.
    assert not Star.objects.exclude(status="pending").exists()
    assert not Star.objects.exclude(ra__isnull=True).exists()
    again = load("--no-network")
    assert f"{stars} stars already have cross-match facts: cross-match not loaded." in again


def test_without_snapshot_nor_network_it_starts_empty_and_says_how_to_import(settings, tmp_path):
    settings.SHARED_DATA_DIR = tmp_path
    output = load("--no-network")
    assert "manage.py import_jmdc" in output
    assert not Measurement.objects.exists()


def test_a_vizier_table_becomes_rows_of_the_export_layout():
    # An invented two-row table with the II/345 labels and masked (null) cells, as
    # astroquery returns them.
    table = Table()
    table["ID1"] = ["HD360", "HD124897"]
    table["ID2"] = ["", "alf Boo"]
    table["UDdiam"] = MaskedColumn([0.0, 20.0], mask=[True, False])
    table["LDdiam"] = MaskedColumn([0.906, 0.0], mask=[False, True])
    table["e_LDdiam"] = MaskedColumn([0.014, 0.0], mask=[False, True])
    table["Band"] = ["H", ""]
    table["mu-lambda"] = MaskedColumn([0.0, 0.0], mask=[True, True])
    table["Method"] = [1, 1]
    table["BandCode"] = MaskedColumn([7, 0], mask=[False, True])
    table["Notes"] = ["", "Pease 1931"]
    table["BibCode"] = ["2019Natur.567..200P", "1931..............."]
    table["SINPE"] = MaskedColumn([0, 1], mask=[True, False])
    parsed = read_catalogue_file(table_to_export_csv(table))
    first, second = (row for _, row in parsed.rows)
    assert (first.ud_diam, first.ld_diam, first.bandcode, first.sinpe) == (None, 0.906, 7, False)
    assert (second.ud_diam, second.ld_diam, second.bandcode, second.sinpe) == (
        20.0,
        None,
        None,
        True,
    )
    assert second.notes == "Pease 1931" and second.bibcode == "1931..............."
