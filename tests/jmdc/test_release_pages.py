"""The releases pages and downloads, open to everyone."""

import datetime
import hashlib
import io
import json
import zipfile

import pytest
from django.test import override_settings

from jmdc.releases import build, freeze
from tests.builders import measurement

pytestmark = pytest.mark.django_db
ROW = ("HD360", "", None, 0.906, 0.014, "H", None, 1, 7, "<script>x</script>", "2019Natur.567..200P", False)  # fmt: skip


def release(version="2026.1", rows=(ROW,), date=datetime.date(2026, 11, 23)):
    made = freeze([(None, r) for r in rows], version=version, date=date)
    return build(made.pk).release


def test_the_list_and_the_page_show_counts_changelog_and_downloads(client):
    release("2025.1", rows=(ROW,), date=datetime.date(2025, 1, 1))
    release("2026.1", rows=((*ROW[:3], 0.95, *ROW[4:]), (*ROW[:1], "HD3750", *ROW[2:])))
    listing = client.get("/releases/").content.decode()
    assert listing.index("2026.1") < listing.index("2025.1")
    page = client.get("/releases/2026.1/").content.decode()
    assert "2 measurements of 1 stars" in page
    assert "Changes since 2025.1" in page and "1 added, 0 removed" in page
    assert "<del>0.906</del> → <ins>0.95</ins>" in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x</script>" not in page
    for name in ("ReadMe", "jmdc.dat", "jmdc.csv", "jmdc.xlsx", "jmdc.vot", "SHA256SUMS"):
        assert f"/releases/2026.1/files/{name}" in page


def test_files_download_with_their_checksum_as_etag_and_stay_cacheable(client):
    made = release()
    stored = made.files.get(name="jmdc.dat")
    response = client.get("/releases/2026.1/files/jmdc.dat")
    assert response.content == bytes(stored.content)
    assert response["ETag"] == f'"{hashlib.sha256(response.content).hexdigest()}"'
    assert "immutable" in response["Cache-Control"]
    again = client.get("/releases/2026.1/files/jmdc.dat", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.get("/releases/2026.1/files/nothing").status_code == 404
    assert client.get("/releases/2099.9/files/jmdc.dat").status_code == 404


def test_the_bundle_is_the_same_zip_at_every_download(client):
    release()
    first = client.get("/releases/2026.1/bundle.zip")
    assert first["Content-Disposition"] == 'attachment; filename="jmdc-2026.1.zip"'
    assert first.content == client.get("/releases/2026.1/bundle.zip").content
    names = zipfile.ZipFile(io.BytesIO(first.content)).namelist()
    assert "jmdc-2026.1/SHA256SUMS" in names


def test_a_release_being_built_shows_its_progress_and_offers_no_download(client):
    measurement()
    made = freeze([(None, ROW)], version="2026.1", date=datetime.date(2026, 11, 23))
    page = client.get(made.get_absolute_url()).content.decode()
    assert "The files are being written" in page and "bundle.zip" not in page
    assert "Build the files again" not in page  # anonymous: no manager action
    assert client.get("/releases/2026.1/files/jmdc.dat").status_code == 404
    status = client.get("/releases/2026.1/status.json").json()
    assert status["status"] == "building" and status["stage"] == "rows frozen"


def test_the_page_links_the_datacite_record_and_the_bundle_holds_it(client):
    release()
    page = client.get("/releases/2026.1/").content.decode()
    paragraph = page[page.index('<p id="datacite">') :].split("</p>")[0]
    assert 'href="/releases/2026.1/files/datacite.json"' in paragraph
    assert "no DOI yet" in paragraph and "datacite.xml" not in paragraph
    record = client.get("/releases/2026.1/files/datacite.json")
    assert record["Content-Type"] == "application/vnd.datacite.datacite+json"
    assert json.loads(record.content)["version"] == "2026.1"
    bundle = zipfile.ZipFile(io.BytesIO(client.get("/releases/2026.1/bundle.zip").content))
    assert bundle.read("jmdc-2026.1/datacite.json") == record.content
    sums = bundle.read("jmdc-2026.1/SHA256SUMS").decode()
    assert f"{hashlib.sha256(record.content).hexdigest()}  datacite.json" in sums


@override_settings(DATACITE_DOI_PREFIX="10.99999")
def test_with_a_doi_the_page_links_both_forms_of_the_record(client):
    release()
    page = client.get("/releases/2026.1/").content.decode()
    paragraph = page[page.index('<p id="datacite">') :].split("</p>")[0]
    assert 'href="/releases/2026.1/files/datacite.xml"' in paragraph
    assert 'href="/releases/2026.1/files/datacite.json"' in paragraph
    assert "no DOI yet" not in paragraph
    names = zipfile.ZipFile(
        io.BytesIO(client.get("/releases/2026.1/bundle.zip").content)
    ).namelist()
    assert {"jmdc-2026.1/datacite.xml", "jmdc-2026.1/datacite.json"} <= set(names)
