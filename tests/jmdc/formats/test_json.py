"""The selection as JSON (the API's representation) and as VizieR jmdc.dat, from the page."""

import json

import pytest
from django.contrib.auth.models import Group

from jmdc.formats.vizier import LRECL
from jmdc.importing.catalogue_file import import_catalogue
from jmdc.models import CATALOGUE_FIELDS, Measurement
from tests.builders import measurement, tomorrow

pytestmark = pytest.mark.django_db


def test_rows_carry_the_catalogue_columns_with_nulls_and_types(client):
    measurement(id1="HD360", ud_diam=None, ld_diam=0.906, sinpe=True, notes='say "hi" é')
    response = client.get("/export.json")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="jmdc.json"'
    rows = json.loads(b"".join(response.streaming_content))
    assert rows == [
        {"id1": "HD360", "id2": "", "ud_diam": None, "ld_diam": 0.906, "e_ld_diam": 0.014,
         "band": "H", "mu_lambda": None, "method": 1, "bandcode": 7, "notes": 'say "hi" é',
         "bibcode": "2019Natur.567..200P", "sinpe": True}
    ]  # fmt: skip


def test_an_empty_selection_is_an_empty_array_and_a_bad_one_a_400(client):
    measurement()
    assert (
        json.loads(b"".join(client.get("/export.json?identifier=nobody").streaming_content)) == []
    )
    bad = client.get("/export.json?ld_diam_min=abc")
    assert bad.status_code == 400 and b"ld_diam" in bad.content


def test_embargoed_rows_are_absent_from_json_and_vizier_for_the_public(client):
    group = Group.objects.create(name="a collaboration")
    measurement(id1="HD360")
    measurement(id1="HD3750", group=group, embargo_until=tomorrow())
    rows = json.loads(b"".join(client.get("/export.json").streaming_content))
    assert [r["id1"] for r in rows] == ["HD360"]
    dat = b"".join(client.get("/export.dat").streaming_content)
    assert dat.startswith(b"HD360") and b"HD3750" not in dat


def test_the_2020_catalogue_round_trips_through_json_and_the_dat(client, shared_dir):
    import_catalogue(shared_dir / "jmdc" / "JMDC_full_20200730.csv")
    rows = json.loads(b"".join(client.get("/export.json").streaming_content))
    expected = list(Measurement.objects.export_values())
    assert len(rows) == len(expected) == 1766
    assert [tuple(row[attr] for attr in CATALOGUE_FIELDS) for row in rows] == expected
    dat = b"".join(client.get("/export.dat").streaming_content).decode("ascii")
    assert {len(line) for line in dat.splitlines()} == {LRECL} and dat.count("\n") == 1766


def test_the_page_offers_every_format_for_its_selection(client):
    measurement()
    page = client.get("/?bibcode=Natur").content.decode()
    for path in ("export_csv", "export.xlsx", "export.dat", "export.vot", "export.json"):
        assert f'/{path}?bibcode=Natur"' in page, path
    assert "data-copy-url" in page and "data-print" in page
