"""The catalogue as Excel: typed cells, frozen header, and text never run as a formula."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Group
from openpyxl import load_workbook

from jmdc.importing.catalogue_file import import_catalogue
from jmdc.models import CATALOGUE_COLUMNS, Measurement
from tests.builders import measurement, tomorrow

pytestmark = pytest.mark.django_db


def download(client, query=""):
    response = client.get("/export.xlsx" + query)
    assert response.status_code == 200
    return response.content


def test_cells_are_typed_and_nulls_empty_with_a_frozen_header_and_a_units_sheet(client):
    measurement(id1="HD360", ud_diam=None, ld_diam=0.906, method=1, bandcode=7, sinpe=True)
    workbook = load_workbook(io.BytesIO(download(client)))
    sheet = workbook["jmdc"]
    assert [c.value for c in sheet[1]] == [name for name, _ in CATALOGUE_COLUMNS]
    assert sheet.freeze_panes == "A2"
    row = [c.value for c in sheet[2]]
    assert row[:5] == ["HD360", None, None, 0.906, 0.014]
    assert (row[7], row[8], row[11]) == (1, 7, True)
    units = {r[0].value: r[1].value for r in workbook["columns"].iter_rows(min_row=2)}
    assert units["LD_DIAM"] == "mas"


@pytest.mark.parametrize(
    "hostile", ['=HYPERLINK("http://evil","click")', "+1+1", "-2+3", "@SUM(A1:A2)"]
)
def test_text_that_looks_like_a_formula_is_stored_as_text(client, hostile):
    measurement(notes=hostile)
    data = download(client)
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no formula element anywhere
    cell = load_workbook(io.BytesIO(data))["jmdc"]["J2"]
    assert (cell.value, cell.data_type) == (hostile, "s")
    assert cell.quotePrefix


def test_embargoed_rows_are_absent_from_the_public_workbook(client):
    group = Group.objects.create(name="g")
    measurement(id1="HD1")
    measurement(id1="HD2", group=group, embargo_until=tomorrow())
    sheet = load_workbook(io.BytesIO(download(client)))["jmdc"]
    assert [c.value for c in sheet["A"]][1:] == ["HD1"]


def test_the_2020_catalogue_round_trips_through_excel(client, shared_dir):
    import_catalogue(shared_dir / "jmdc" / "JMDC_full_20200730.csv")
    sheet = load_workbook(io.BytesIO(download(client)))["jmdc"]
    expected = list(
        Measurement.objects.in_export_order().values_list(*[a for _, a in CATALOGUE_COLUMNS])
    )
    got = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2)]
    normalise = lambda values: tuple(None if v in ("", False) else v for v in values)  # noqa: E731
    assert [normalise(r) for r in got] == [normalise(r) for r in expected]
