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


@pytest.mark.parametrize(
    "fields",
    [
        {"id2": '<b>"x" & y</b>', "band": "<H>", "notes": "a & 'b' <i>", "ud_diam": 1.5,
         "ld_diam": None, "e_ld_diam": 0.01, "mu_lambda": 1.6, "method": 1, "bandcode": 7,
         "bibcode": "2016A&A...587A.117B", "sinpe": True},
        {"id2": "", "band": "", "notes": "", "ud_diam": None, "ld_diam": -1.0, "e_ld_diam": None,
         "mu_lambda": None, "method": None, "bandcode": None, "bibcode": "1931.....&<>.......",
         "sinpe": False},
    ],
)  # fmt: skip
def test_a_rows_cells_outside_the_table_are_written_as_format_html_escapes_them(fields):
    """The star page's and a submission's cells are one f-string now: each value must still be
    escaped exactly as format_html escaped the twelve values (hostile text, a pseudo-bibcode
    with HTML characters, empty codes)."""
    from django.utils.html import format_html

    from jmdc.models import Measurement
    from jmdc.tables import (
        bandcode_cell,
        bibcode_cell,
        measurement_cells,
        method_cell,
        number_cell,
    )

    m = Measurement(id1="HD 1", **fields)
    assert measurement_cells(m) == format_html(
        '<td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>\n'
        '<td>{}</td><td class="num">{}</td><td>{}</td><td>{}</td>\n'
        '<td class="notes">{}</td><td>{}</td><td><span class="{}">{}</span></td>',
        m.id2, number_cell(m.ud_diam), number_cell(m.ld_diam), number_cell(m.e_ld_diam), m.band,
        number_cell(m.mu_lambda), method_cell(m), bandcode_cell(m), m.notes,
        bibcode_cell(m.bibcode), "true" if m.sinpe else "false", "yes" if m.sinpe else "",
    )  # fmt: skip
