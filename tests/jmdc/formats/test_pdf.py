"""The PDF of a selection, read back as a reader would read it: what was selected in words, the
release and the date, the headers with their units, the rows in the page's order."""

import datetime
import io

import pytest
from pypdf import PdfReader

from jmdc.exports import run_export
from jmdc.formats.pdf import About, write_pdf
from jmdc.formats.registry import FORMATS
from jmdc.models import ExportJob, Release
from jmdc.releases import freeze
from tests.builders import measurement

pytestmark = pytest.mark.django_db

ROW = ("HD360", "", None, 0.906, 0.014, "H", None, 1, 7, "", "2019Natur.567..200P", False)  # fmt: skip


def text_of_pdf(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def catalogue():
    measurement(id1="HD360", ld_diam=0.906, method=1, bandcode=7)
    measurement(
        id1="HD29139", ud_diam=19.5, ld_diam=20.6, method=2, bandcode=8, sinpe=True,
        bibcode="1977AJ.....82..414R", notes="Occultation at Mount Wilson",
    )  # fmt: skip
    measurement(id1="GJ 699", ld_diam=1.004, method=3, bandcode=5, bibcode="2015A&A...576A..64B")


def test_the_toolbar_offers_the_pdf_of_the_selection(client, catalogue):
    response = client.get("/?method=2&sort=-ld_diam")
    assert 'href="/export.pdf?method=2&amp;sort=-ld_diam"' in response.content.decode()


def test_the_pdf_says_the_filter_in_words_the_sort_the_release_and_the_date(client, catalogue):
    freeze([(None, ROW)], version="2026.1", date=datetime.date(2026, 11, 23))
    Release.objects.update(status=Release.Status.READY)  # as its build leaves it
    response = client.get("/export.pdf?method=2&method=3&ld_diam_min=1&sort=-ld_diam")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="jmdc.pdf"'
    text = one_line(text_of_pdf(response.content))
    assert (
        "The measurements where Method is lunar occultation or intensity interferometry; "
        "LD diameter (mas) at least 1." in text
    )
    assert "Sorted by LD (mas), descending." in text
    assert "from the live catalogue, whose last release is 2026.1 of 2026-11-23." in text
    assert f"Written {datetime.datetime.now(datetime.UTC):%Y-%m-%d}" in text


def test_the_pdf_table_has_each_column_with_its_unit_and_the_rows_in_the_page_s_order(
    client, catalogue
):
    text = one_line(text_of_pdf(client.get("/export.pdf?sort=-ld_diam").content))
    assert (
        "ID1 ID2 UD_DIAM (mas) LD_DIAM (mas) E_LD_DIAM (mas) BAND MU_LAMBDA METHOD BANDCODE "
        "NOTES BIBCODE SINPE" in text
    )
    assert text.index("HD29139") < text.index("GJ 699") < text.index("HD360")
    assert "HD29139 19.5 20.6 0.014 H 2 K Occultation at Mount Wilson 1977AJ.....82..414R yes" in (
        text
    )


def test_the_whole_catalogue_is_said_to_be_all_rows_and_no_release_yet(client, catalogue):
    text = one_line(text_of_pdf(client.get("/export.pdf").content))
    assert "All the measurements of the catalogue you may see." in text
    assert "from the live catalogue (no release cut yet)." in text


def test_an_empty_selection_says_so_in_the_table():
    text = one_line(text_of_pdf(write_pdf([], about=About(selection=['Star contains "nobody"']))))
    assert 'The measurements where Star contains "nobody".' in text
    assert "No measurement matches this selection." in text


def test_a_long_selection_flows_over_pages_each_with_the_header_again():
    rows = [(f"HD{n}", *ROW[1:]) for n in range(200)]
    reader = PdfReader(io.BytesIO(write_pdf(rows)))
    assert len(reader.pages) > 1
    assert all("LD_DIAM (mas)" in one_line(page.extract_text()) for page in reader.pages)
    assert "HD199" in reader.pages[-1].extract_text()


def test_a_selection_larger_than_a_request_writes_goes_to_an_export_task(client, settings):
    for number in range(3):
        measurement(id1=f"HD{1000 + number}")
    limit = FORMATS["pdf"].request_max_rows
    assert limit is not None and limit < settings.EXPORT_STREAM_MAX_ROWS
    settings.EXPORT_STREAM_MAX_ROWS = 2  # below the PDF's own limit: the smaller one holds
    response = client.get("/export.pdf")
    assert response.status_code == 302 and response["Location"].startswith("/exports/")


def test_an_export_task_writes_the_same_described_pdf(catalogue):
    job = ExportJob.objects.create(format="pdf", query="method=2&sort=-ld_diam", total=1)
    job = run_export(str(job.pk))
    assert job.status == ExportJob.Status.READY
    text = one_line(text_of_pdf(bytes(ExportJob.objects.get(pk=job.pk).content)))
    assert "The measurements where Method is lunar occultation." in text
    assert "HD29139" in text and "HD360" not in text
