"""GET /export_csv: the byte contract of the legacy portal's export."""

import pytest
from django.contrib.auth.models import Group, User

from jmdc.formats import csv as csv_format
from tests.builders import measurement, tomorrow

pytestmark = pytest.mark.django_db

HEADER = (
    '"ID1","ID2","UD_DIAM","LD_DIAM","E_LD_DIAM","BAND","MU_LAMBDA","METHOD","BANDCODE",'
    '"NOTES","BIBCODE","SINPE"'
)


def export(client, query: str = "") -> bytes:
    response = client.get("/export_csv" + query)
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content)


def test_an_empty_catalogue_exports_the_header_alone(client):
    assert export(client) == HEADER.encode()


def test_the_export_matches_the_legacy_bytes_for_a_small_catalogue(client):
    measurement(id1="HD360", ld_diam=0.906, e_ld_diam=0.014, notes="unclear (mu_lambda?)")
    measurement(
        id1="CCDM J16294-2626 AB", id2="alf SCO", ud_diam=40.0, ld_diam=None, e_ld_diam=None,
        band="", method=1, bandcode=None, notes="Pease, F.G.: 1931, Ergebn. 10, 84",
        bibcode="1931...............",
    )  # fmt: skip
    measurement(
        id1="WDSJ05167+4600Aa,Ab", id2='the "B" star', ud_diam=7.0, ld_diam=7.25,
        e_ld_diam=0.6, band="2.2mu", mu_lambda=1.11803, method=2, bandcode=8,
        bibcode="1998aj....116..981D", sinpe=True,
    )  # fmt: skip
    expected = (
        HEADER + "\n"
        '"HD360","","","0.906","0.014","H","","1","7","unclear (mu_lambda?)","2019Natur.567..200P",""\n'
        '"WDSJ05167+4600Aa,Ab","the ""B"" star","7.0","7.25","0.6","2.2mu","1.11803","2","8","",'
        '"1998aj....116..981D","True"\n'
        '"CCDM J16294-2626 AB","alf SCO","40.0","","","","","1","",'
        '"Pease, F.G.: 1931, Ergebn. 10, 84","1931...............",""'
    )
    assert export(client).decode("utf-8") == expected


def test_rows_are_sorted_by_bibcode_descending_ignoring_case_then_in_entry_order(client):
    for bibcode in ["2001A&A...380..526R", "...................", "2019a&a...621A..44G",
                    "1931...............", "2019A&A...621A..44G", "2019A&A...621A.144G"]:  # fmt: skip
        measurement(bibcode=bibcode)
    rows = export(client).decode().split("\n")[1:]
    assert [row.split(",")[-2].strip('"') for row in rows] == [
        "2019A&A...621A.144G",
        "2019a&a...621A..44G",
        "2019A&A...621A..44G",
        "2001A&A...380..526R",
        "1931...............",
        "...................",
    ]


def test_sinpe_is_last_and_bibcode_second_to_last_even_with_commas_inside_fields(client):
    measurement(id1="WDSJ05167+4600Aa,Ab", notes="a, b, c", sinpe=True)
    row = export(client).decode().split("\n")[1]
    assert row.split(",")[-1] == '"True"'
    assert row.split(",")[-2] == '"2019Natur.567..200P"'


def test_the_stream_has_no_newline_after_the_last_row_whatever_the_chunk_size(client, monkeypatch):
    monkeypatch.setattr(csv_format, "CHUNK_ROWS", 3)
    for index in range(1, 7):  # 6 rows + header: ends exactly on a chunk boundary
        measurement(id1=f"HD{index}")
    body = export(client).decode()
    assert not body.endswith("\n")
    assert body.count("\n") == 6
    assert [line.split(",")[0] for line in body.split("\n")[1:]] == [
        f'"HD{i}"' for i in range(1, 7)
    ]


def test_the_selection_of_the_page_filters_the_export(client):
    measurement(id1="HD360", method=1)
    measurement(id1="HD361", method=2, bibcode="1977AJ.....82..414R")
    body = export(client, "?method=2").decode()
    assert body.count("\n") == 1 and '"HD361"' in body


def test_an_invalid_selection_is_a_400_that_names_the_field(client):
    response = client.get("/export_csv?method=7")
    assert response.status_code == 400
    assert "method" in response.content.decode()


def test_embargoed_rows_are_absent_for_the_public_and_present_for_their_group(client):
    group = Group.objects.create(name="VLTI Large Programme")
    measurement(id1="HD1")
    measurement(id1="HD2", group=group, embargo_until=tomorrow())
    assert '"HD2"' not in export(client).decode()
    member = User.objects.create_user("member", password="x")
    member.groups.add(group)
    client.force_login(member)
    assert '"HD2"' in export(client).decode()


def test_the_download_is_named_and_typed_as_csv(client):
    response = client.get("/export_csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="jmdc.csv"'


@pytest.mark.parametrize("path", ["/export_csv", "/export.vot"])
def test_a_gzipped_export_reads_back_as_the_plain_one(client, path):
    import gzip

    measurement(id1="HD360", ld_diam=0.906, e_ld_diam=0.014, notes="a <b> & c")
    measurement(id1="HD 10700", ud_diam=2.0, notes="")
    plain = client.get(path)
    packed = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert packed["Content-Disposition"] == plain["Content-Disposition"]
    body = gzip.decompress(b"".join(packed.streaming_content))
    assert body == b"".join(plain.streaming_content)
