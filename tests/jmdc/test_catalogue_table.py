"""The catalogue table as a reader uses it: which column it is sorted by, how many rows a
page, what each header means (and the columns page saying it in full), SINPE in words, the
way to each row's own page, and downloads in the order the page shows."""

import csv
import io

import pytest

from jmdc.columns import COLUMNS
from tests.builders import measurement
from tests.pages import page_of, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_rows():
    return [
        measurement(id1="HD360", ld_diam=0.906),
        measurement(id1="HD29139", ld_diam=20.6, sinpe=True, bibcode="1977AJ.....82..414R"),
        measurement(id1="GJ 699", ld_diam=1.004, bibcode="2015A&A...576A..64B"),
    ]


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def header_named(page, text):
    (th,) = [
        th
        for th in page.xpath("//table[@class='catalogue']//thead//th")
        if text_of(th).startswith(text)
    ]
    return th


def test_the_sorted_column_is_marked_for_the_eye_and_for_screen_readers(client, three_rows):
    page = page_of(client.get("/?sort=-ld_diam"))
    ld = header_named(page, "LD (mas)")
    assert ld.get("aria-sort") == "descending"
    assert ld.xpath("span[@class='sort-mark']/text()") == ["▼"]
    assert ld.xpath("span[@class='sort-mark']/@aria-hidden") == ["true"]
    others = page.xpath("//table[@class='catalogue']//thead//th[@aria-sort]")
    assert others == [ld]


def test_without_a_sort_the_table_says_it_is_sorted_by_id1_ascending(client, three_rows):
    page = page_of(client.get("/"))
    assert header_named(page, "ID1").get("aria-sort") == "ascending"


def test_the_export_links_keep_the_sort_and_the_download_follows_it(client, three_rows):
    page = page_of(client.get("/?sort=-ld_diam&page=1&per_page=10"))
    (csv_link,) = page.xpath("//a[normalize-space()='CSV']/@href")
    assert csv_link == "/export_csv?sort=-ld_diam"
    rows = csv_rows(client.get(csv_link))
    assert [r[0] for r in rows[1:]] == ["HD29139", "GJ 699", "HD360"]


def test_an_export_without_a_sort_keeps_the_export_order(client, three_rows):
    rows = csv_rows(client.get("/export_csv"))
    assert [r[10] for r in rows[1:]] == [
        "2019Natur.567..200P", "2015A&A...576A..64B", "1977AJ.....82..414R",
    ]  # fmt: skip


def test_the_page_size_is_offered_and_keeps_the_selection_and_its_sort(client, three_rows):
    page = page_of(client.get("/?sort=ld_diam&method=1&per_page=25&page=1"))
    (form,) = page.xpath("//form[@class='page-size']")
    select = form.get_element_by_id("per-page")
    assert form.xpath(".//label[@for='per-page']/text()") == ["Rows per page"]
    assert select.xpath("option/@value") == ["10", "25", "50", "100", "200", "500"]
    assert select.xpath("option[@selected]/@value") == ["25"]
    kept = {(i.get("name"), i.get("value")) for i in form.xpath(".//input[@type='hidden']")}
    assert kept == {("sort", "ld_diam"), ("method", "1")}


def test_the_chosen_page_size_pages_the_table(client):
    for number in range(12):
        measurement(id1=f"HD{1000 + number}")
    page = page_of(client.get("/?per_page=10"))
    assert len(page.xpath("//table[@class='catalogue']/tbody/tr")) == 10


def test_each_header_describes_its_column_from_the_column_table(client, three_rows):
    page = page_of(client.get("/"))
    ld = header_named(page, "LD (mas)")
    assert ld.get("title") == "Limb-darkened angular diameter, in mas (LD_DIAM)."
    described = page.get_element_by_id(ld.get("aria-describedby"))
    assert text_of(described) == "Limb-darkened angular diameter, in mas (LD_DIAM)."
    headers = page.xpath("//table[@class='catalogue']//thead//th")
    assert [th.get("title") for th in headers] == [c.help_text for c in COLUMNS]


def test_the_columns_page_says_each_column_s_unit_ucd_description_and_vizier_format(client):
    page = page_of(client.get("/columns"))
    assert [text_of(h) for h in page.xpath("//h1")] == ["The columns of the catalogue"]
    ld = page.get_element_by_id("LD_DIAM")
    assert [text_of(c) for c in ld.xpath("th|td")] == [
        "LD_DIAM", "LD (mas)", "mas", "phys.angSize;src", "Limb-darkened angular diameter.",
        "LDdiam F7.4 ?=-",
    ]  # fmt: skip
    assert len(page.xpath("//table[@class='columns']/tbody/tr")) == len(COLUMNS)
    catalogue = page_of(client.get("/"))
    assert catalogue.xpath("//a[normalize-space()='What the columns mean']/@href") == ["/columns"]


def test_sinpe_is_written_yes_or_no(client, three_rows):
    page = page_of(client.get("/?sort=ld_diam"))
    assert [text_of(tr.xpath("td")[-1]) for tr in page.xpath("//tbody/tr")] == ["no", "no", "yes"]


def test_the_sinpe_filter_offers_any_rather_than_unknown(client):
    page = page_of(client.get("/"))
    assert page.xpath("//select[@name='sinpe']/option/text()") == ["Any", "Yes", "No"]
    assert page.xpath("//select[@name='sinpe']/option[@selected]/text()") == ["Any"]


def test_each_row_links_to_its_star_and_to_its_own_page(client, three_rows):
    m = three_rows[1]
    page = page_of(client.get("/?identifier=HD29139"))
    (cell,) = page.xpath("//tbody/tr/td[1]")
    star_link, row_link = cell.xpath("a")
    assert (star_link.get("href"), text_of(star_link)) == (m.star.get_absolute_url(), "HD29139")
    assert row_link.get("href") == f"/measurement/{m.pk}/"
    assert row_link.get("aria-label") == f"Measurement {m.pk} of HD29139: its page and history"
    assert client.get(row_link.get("href")).status_code == 200


def test_the_ud_and_ld_range_inputs_each_have_a_name(client):
    page = page_of(client.get("/"))
    names = [i.get("aria-label") for i in page.xpath("//input[contains(@name, '_diam_')]")]
    assert names == [
        "UD diameter in mas, at least", "UD diameter in mas, at most",
        "LD diameter in mas, at least", "LD diameter in mas, at most",
    ]  # fmt: skip
