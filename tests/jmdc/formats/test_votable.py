"""The catalogue as VOTable (1.4, or the version asked for): valid against the schema, read back
by astropy value for value."""

import io
import warnings
from pathlib import Path
from urllib.parse import quote

import astropy.io.votable
import numpy as np
import pytest
from astropy.io.votable import parse_single_table
from django.contrib.auth.models import Group
from lxml import etree

from jmdc.importing.catalogue_file import import_catalogue
from jmdc.models import CATALOGUE_COLUMNS, ExportJob, Measurement
from tests import votables
from tests.builders import measurement, tomorrow
from tests.votables import VERSIONS

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


# VOTable versions: what a client or a validator asks for with VERSION or RESPONSEFORMAT.


@pytest.fixture
def two_rows():
    measurement(id1="HD360", ud_diam=None, ld_diam=0.906, method=None, bandcode=7)
    measurement(id1="HD3750", ud_diam=7.0, ld_diam=None, method=2, bandcode=None, sinpe=True)


def assert_the_two_rows(table) -> None:
    rows = {row["ID1"]: row for row in table.to_table()}
    assert set(rows) == {"HD360", "HD3750"}
    assert np.ma.is_masked(rows["HD360"]["UD_DIAM"]) and rows["HD360"]["LD_DIAM"] == 0.906
    assert np.ma.is_masked(rows["HD360"]["METHOD"]) and rows["HD360"]["BANDCODE"] == 7
    assert rows["HD3750"]["UD_DIAM"] == 7.0 and rows["HD3750"]["METHOD"] == 2
    assert np.ma.is_masked(rows["HD3750"]["BANDCODE"]) and bool(rows["HD3750"]["SINPE"])
    assert str(table.fields[4].unit) == "mas"


@pytest.mark.parametrize("version", VERSIONS)
def test_the_catalogue_export_writes_the_version_asked_valid_and_read_back(
    client, two_rows, version
):
    data = download(client, f"?VERSION={version}")
    votables.assert_valid(data, version)
    assert_the_two_rows(votables.parse(data).get_first_table())


@pytest.mark.parametrize("version", VERSIONS)
def test_the_star_export_writes_the_version_its_media_type_asks(client, version):
    star = measurement(id1="HD360", ld_diam=0.906).star
    measurement(id1="HD3750", ld_diam=1.5)
    media_type = quote(f"application/x-votable+xml;version={version}")
    data = download(client, f"?star={star.pk}&RESPONSEFORMAT={media_type}")
    votables.assert_valid(data, version)
    table = votables.parse(data).get_first_table().to_table()
    assert list(table["ID1"]) == ["HD360"] and list(table["LD_DIAM"]) == [0.906]


def test_without_a_version_the_export_is_the_1_4_document_as_before(client, two_rows):
    data = download(client)
    assert data.startswith(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<VOTABLE version="1.4" '
        b'xmlns="http://www.ivoa.net/xml/VOTable/v1.3" '
    )
    assert download(client, "?VERSION=1.4") == data


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("VERSION=1.0", "VERSION='1.0' is not a VOTable version written here: give one of 1.1, 1.2, 1.3, 1.4.\n"),
        ("RESPONSEFORMAT=text/csv", "RESPONSEFORMAT='text/csv' is not a VOTable: this answer is written as "
         "application/x-votable+xml (its version as ;version=1.1 to 1.4).\n"),
    ],
)  # fmt: skip
def test_a_version_not_written_is_a_400_saying_which_are(client, settings, query, message):
    measurement()
    settings.EXPORT_STREAM_MAX_ROWS = 0  # refused before a task is started for it
    response = client.get(f"/export.vot?{query}")
    assert response.status_code == 400
    assert response.content.decode() == message
    assert not ExportJob.objects.exists()


def test_a_large_export_keeps_its_version_in_the_task(client, settings, two_rows):
    settings.EXPORT_STREAM_MAX_ROWS = 1
    job_url = client.get("/export.vot?VERSION=1.1")["Location"]
    data = client.get(job_url + "download").content
    votables.assert_valid(data, "1.1")
    assert_the_two_rows(votables.parse(data).get_first_table())
