"""Seeding a developer's portal (what `make run` does before serving)."""

from io import StringIO

import pytest
from astropy.table import MaskedColumn, Table
from django.core.management import call_command

from jmdc.importing.catalogue_file import read_catalogue_file
from jmdc.importing.vizier import table_to_export_csv
from jmdc.models import Measurement, Release

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
