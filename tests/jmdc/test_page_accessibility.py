"""The catalogue's pages as a screen reader reads them: named progress bars, a stage said as it
changes, table headers, and METHOD and BANDCODE written as in the catalogue table."""

import datetime

import pytest

from jmdc.models import ExportJob
from jmdc.releases import freeze
from tests.builders import measurement
from tests.pages import accessible_name, page_of, text_of

pytestmark = pytest.mark.django_db

ROW = ("HD360", "", None, 0.906, 0.014, "H", None, 1, 7, "", "2019Natur.567..200P", False)  # fmt: skip


def test_a_release_being_built_has_a_named_progress_bar_and_says_its_stage_aloud(client):
    release = freeze([(None, ROW)], version="2026.1", date=datetime.date(2026, 11, 23))
    page = page_of(client.get(release.get_absolute_url()))
    (bar,) = page.xpath("//progress")
    assert accessible_name(page, bar) == "The files are being written:"
    (stage,) = page.xpath("//*[@data-stage]")
    assert (stage.get("role"), stage.get("aria-live")) == ("status", "polite")
    assert text_of(stage) == "0% · rows frozen"
    assert page.xpath("//head/script/@src") == ["/static/jmdc/progress.js"]


def test_a_waiting_export_has_a_named_progress_bar(client):
    job = ExportJob.objects.create(format="csv", total=12, done=3)
    page = page_of(client.get(job.get_absolute_url()))
    (bar,) = page.xpath("//progress")
    assert accessible_name(page, bar) == "The file is being written:"
    assert text_of(page.xpath("//*[@data-stage]")[0]) == "25% · 3 of 12 rows written"


def test_a_finished_export_loads_no_progress_script(client):
    job = ExportJob.objects.create(format="csv", total=1, done=1, status=ExportJob.Status.READY)
    page = page_of(client.get(job.get_absolute_url()))
    assert page.xpath("//progress") == [] and page.xpath("//script") == []


def test_the_catalogue_table_has_column_headers_and_a_caption(client):
    measurement()
    page = page_of(client.get("/"))
    (table,) = page.xpath("//table")
    assert text_of(table.xpath("caption")[0]) == "The measurements of this selection"
    headers = table.xpath(".//thead//th")
    assert len(headers) == 12 and {th.get("scope") for th in headers} == {"col"}


def test_the_star_page_writes_method_and_band_code_as_the_catalogue_table_does(client):
    m = measurement(method=2, bandcode=8)
    catalogue_row = page_of(client.get("/")).xpath("//tbody/tr")[0]
    star_row = page_of(client.get(m.star.get_absolute_url())).xpath("//table[1]/tbody/tr")[0]

    def method_and_band_code(row, first):  # the cells in the catalogue's column order
        cells = row.xpath("td")[first + 6 : first + 8]
        return [(text_of(td), td.xpath("span/@title")) for td in cells]

    assert method_and_band_code(star_row, 0) == [("2", ["lunar occultation"]), ("K", ["8"])]
    assert method_and_band_code(catalogue_row, 1) == method_and_band_code(star_row, 0)


def test_the_measurement_page_writes_method_and_band_code_as_the_catalogue_table_does(client):
    m = measurement(method=3, bandcode=11)
    page = page_of(client.get(f"/measurement/{m.pk}/"))
    assert page.xpath('//dd/span[@title="intensity interferometry"]/text()') == ["3"]
    assert page.xpath('//dd/span[@title="11"]/text()') == ["N"]
