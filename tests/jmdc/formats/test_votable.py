"""The catalogue as VOTable 1.4: valid against the schema, read back by astropy value for value."""

import io
import warnings
from pathlib import Path

import astropy.io.votable
import numpy as np
import pytest
from astropy.io.votable import parse_single_table
from django.contrib.auth.models import Group
from lxml import etree

from jmdc.importing.catalogue_file import import_catalogue
from jmdc.models import CATALOGUE_COLUMNS, Measurement
from tests.builders import measurement, tomorrow

pytestmark = pytest.mark.django_db
SCHEMA = Path(astropy.io.votable.__file__).parent / "data" / "VOTable.v1.4.xsd"


def download(client, query="") -> bytes:
    response = client.get("/export.vot" + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-votable+xml; charset=utf-8"
    return b"".join(response.streaming_content)


def read(data: bytes):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any VOTable spec warning fails the test
        return parse_single_table(io.BytesIO(data), verify="exception").to_table()


def assert_valid(data: bytes) -> None:
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    document = etree.fromstring(data)
    assert schema.validate(document), schema.error_log


def test_a_small_catalogue_is_valid_and_reads_back_with_units_ucds_and_nulls(client):
    measurement(id1="HD360", ud_diam=None, ld_diam=0.906, e_ld_diam=0.014, method=None, bandcode=7)
    measurement(id1="WDSJ05167+4600Aa,Ab", ud_diam=7.0, ld_diam=None, mu_lambda=1.11803, method=2,
                bandcode=None, sinpe=True, notes='<b>bold</b> & "quoted" \x07bell', bibcode="1931...............")  # fmt: skip
    data = download(client)
    assert_valid(data)
    table = read(data)
    assert table.colnames == [name for name, _ in CATALOGUE_COLUMNS]
    assert str(table["UD_DIAM"].unit) == "mas"
    rows = {row["ID1"]: row for row in table}
    hd360, wds = rows["HD360"], rows["WDSJ05167+4600Aa,Ab"]
    assert np.ma.is_masked(hd360["UD_DIAM"]) and hd360["LD_DIAM"] == 0.906
    assert np.ma.is_masked(hd360["METHOD"]) and hd360["BANDCODE"] == 7
    assert (wds["UD_DIAM"], wds["MU_LAMBDA"], wds["METHOD"], bool(wds["SINPE"])) == (
        7.0,
        1.11803,
        2,
        True,
    )
    assert np.ma.is_masked(wds["BANDCODE"])
    assert wds["NOTES"] == '<b>bold</b> & "quoted" bell'


def test_fields_carry_the_ucds_and_descriptions(client):
    measurement()
    votable_file = astropy.io.votable.parse(io.BytesIO(download(client)))
    fields = {f.name: f for f in votable_file.get_first_table().fields}
    assert fields["LD_DIAM"].ucd == "phys.angSize;src"
    assert fields["BIBCODE"].ucd == "meta.bib.bibcode"
    assert "Limb-darkened" in str(fields["LD_DIAM"].description)


def test_the_selection_and_embargo_apply_as_for_the_csv(client):
    group = Group.objects.create(name="g")
    measurement(id1="HD1", method=1)
    measurement(id1="HD2", method=2)
    measurement(id1="HD3", method=2, group=group, embargo_until=tomorrow())
    assert list(read(download(client, "?method=2"))["ID1"]) == ["HD2"]
    assert client.get("/export.vot?method=9").status_code == 400


def test_the_2020_catalogue_round_trips_through_the_votable(client, shared_dir):
    import_catalogue(shared_dir / "jmdc" / "JMDC_full_20200730.csv")
    data = download(client)
    assert_valid(data)
    table = read(data)
    expected = list(
        Measurement.objects.in_export_order().values_list(*[a for _, a in CATALOGUE_COLUMNS])
    )
    assert len(table) == len(expected) == 1766
    for row, values in zip(table, expected, strict=True):
        got = tuple(
            None if np.ma.is_masked(v) else (v.item() if hasattr(v, "item") else v) for v in row
        )
        normalised = tuple(v if v != "" else None for v in values)
        got = tuple(v if v != "" else None for v in got)
        assert got[:11] == normalised[:11]
        assert bool(got[11]) == values[11]
