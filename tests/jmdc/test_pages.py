"""The catalogue table and the star page, as a visitor sees them."""

import re

import pytest
from django.contrib.auth.models import Group

from tests.builders import measurement, tomorrow
from tests.pages import page_of

pytestmark = pytest.mark.django_db


def listed_ids(response) -> list[str]:
    """ID1 values of the table rows, in page order."""
    html = response.content.decode()
    body = html[html.index("<tbody") :]
    return re.findall(r'<a href="/star/\d+/">([^<]+)</a>', body)


@pytest.fixture
def catalogue():
    measurement(id1="HD360", ud_diam=None, ld_diam=0.906, method=1, bandcode=7)
    measurement(
        id1="HD124897", id2="alf Boo", ud_diam=20.0, ld_diam=None, method=1, bandcode=None,
        bibcode="1931...............",
    )  # fmt: skip
    measurement(
        id1="HD29139", id2="ALF TAU", ud_diam=19.5, ld_diam=20.6, method=2, bandcode=8,
        bibcode="1977AJ.....82..414R", sinpe=True,
    )  # fmt: skip
    measurement(id1="GJ 699", ud_diam=0.95, ld_diam=1.004, method=3, bandcode=5,
                bibcode="2015A&A...576A..64B")  # fmt: skip


def test_the_catalogue_page_lists_every_public_measurement(client, catalogue):
    response = client.get("/")
    assert response.status_code == 200
    assert sorted(listed_ids(response)) == ["GJ 699", "HD124897", "HD29139", "HD360"]
    assert "4 measurements selected of 4 in the catalogue" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("identifier=HD 360", ["HD360"]),
        ("identifier=alf boo", ["HD124897"]),
        ("identifier=gj 699", ["GJ 699"]),
        ("bibcode=1977aj", ["HD29139"]),
        ("method=2&method=3", ["GJ 699", "HD29139"]),
        ("bandcode=8", ["HD29139"]),
        ("ud_diam_min=1&ud_diam_max=19.9", ["HD29139"]),
        ("ld_diam_max=1.0", ["HD360"]),
        ("sinpe=true", ["HD29139"]),
    ],
)
def test_each_filter_narrows_the_table(client, catalogue, query, expected):
    response = client.get("/?" + query)
    assert sorted(listed_ids(response)) == expected


def test_the_export_link_carries_the_current_selection_and_its_sort(client, catalogue):
    # Issue 17: the sort is kept (the download lists rows as the page does); the page is not.
    html = client.get("/?method=2&page=1&sort=id1").content.decode()
    assert 'href="/export_csv?method=2&amp;sort=id1"' in html


def test_columns_sort_both_ways(client, catalogue):
    ascending = listed_ids(client.get("/?sort=ld_diam"))
    descending = listed_ids(client.get("/?sort=-ld_diam"))
    with_ld = ["HD360", "GJ 699", "HD29139"]
    assert [i for i in ascending if i in with_ld] == with_ld
    assert [i for i in descending if i in with_ld] == with_ld[::-1]


def test_the_table_is_paginated(client):
    for n in range(25):
        measurement(id1=f"HD{1000 + n}")
    first = listed_ids(client.get("/?per_page=10&sort=id1"))
    third = listed_ids(client.get("/?per_page=10&sort=id1&page=3"))
    assert first == [f"HD{1000 + n}" for n in range(10)]
    assert third == [f"HD{1000 + n}" for n in range(20, 25)]


def test_a_hostile_string_in_the_notes_is_shown_as_text(client):
    measurement(notes='<script>alert("x")</script>')
    html = client.get("/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_the_star_page_lists_the_measurements_of_that_star(client, catalogue):
    measurement(id1="HD29139", ud_diam=20.2, bibcode="1980AJ.....85.1496R")
    star_url = re.search(r'href="(/star/\d+/)">HD29139<', client.get("/").content.decode())[1]
    html = client.get(star_url).content.decode()
    assert "<h1>HD29139</h1>" in html
    assert "2 measurements" in html
    assert "1977AJ.....82..414R" in html and "1980AJ.....85.1496R" in html
    assert "2015A&amp;A...576A..64B" not in html


def test_a_star_known_only_from_an_embargoed_row_is_not_found_by_the_public(client):
    group = Group.objects.create(name="secret programme")
    row = measurement(id1="HD999", group=group, embargo_until=tomorrow())
    assert client.get(f"/star/{row.star_id}/").status_code == 404
    assert "HD999" not in client.get("/").content.decode()


def test_an_empty_selection_says_so(client, catalogue):
    html = client.get("/?identifier=nothing-like-this").content.decode()
    assert "No measurement matches this selection." in html


def test_each_row_has_its_twelve_cells_under_the_right_headers(client, catalogue):
    html = client.get("/?identifier=HD29139").content.decode()
    headers = re.findall(r"<th[^>]*>\s*<a[^>]*>([^<]+)</a>", html)
    row = html[html.index("<tbody") :].split("</tr>")[0]
    cells = [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)
    ]
    assert dict(zip(headers, cells, strict=True)) == {
        "ID1": "HD29139", "ID2": "ALF TAU", "UD (mas)": "19.5", "LD (mas)": "20.6",
        "σ (mas)": "0.014", "Band": "H", "μλ": "", "Method": "2", "Band code": "K",
        "Notes": "", "Bibcode": "1977AJ.....82..414R", "SINPE": "yes",
    }  # fmt: skip
    assert 'title="lunar occultation"' in row
    assert 'href="https://ui.adsabs.harvard.edu/abs/1977AJ.....82..414R/abstract"' in row


@pytest.mark.parametrize(
    ("per_page", "rows"),
    [("-5", 10), ("0", 10), ("3", 10), ("1000000000", 500), ("99999999999999999999999", 500),
     ("abc", 50), ("", 50), ("120", 120)],
)  # fmt: skip
def test_rows_per_page_are_held_between_10_and_500_whatever_the_query_says(client, per_page, rows):
    for n in range(600):
        measurement(id1=f"HD{1000 + n}")
    response = client.get("/", {"per_page": per_page, "sort": "id1"})
    assert response.status_code == 200
    assert len(listed_ids(response)) == rows
    assert "600 measurements selected of 600 in the catalogue" in response.content.decode()


def test_a_page_number_that_is_not_one_shows_the_first_or_the_last(client):
    for n in range(25):
        measurement(id1=f"HD{1000 + n}")
    assert listed_ids(client.get("/?per_page=10&sort=id1&page=x"))[0] == "HD1000"
    assert listed_ids(client.get("/?per_page=10&sort=id1&page=99"))[0] == "HD1020"


@pytest.mark.parametrize("field", ["identifier", "bibcode"])
def test_a_filter_text_of_60000_characters_is_a_form_error_not_a_500(client, catalogue, field):
    response = client.get("/", {field: "HD" * 30000})
    assert response.status_code == 200
    assert response.context["filter"].form.errors[field] == [
        "Give at most 200 characters (this text has 60000)."
    ]
    assert "Give at most 200 characters (this text has 60000)." in response.content.decode()
    export = client.get("/export_csv", {field: "x" * 201})
    assert export.status_code == 400
    assert export.content.decode() == (
        f"Invalid selection: {field}: Give at most 200 characters (this text has 201).\n"
    )


def test_every_text_cell_of_the_catalogue_and_the_star_page_is_shown_as_text(client):
    """The rows are written by format strings, not templates: each text is escaped there."""
    row = measurement(
        id1="<i>HD 1</i>", id2='B"&C', band="<b>", notes="<u>x</u>", bibcode="2019<a>.....200P"
    )
    for url in ("/", row.star.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "<i>HD" not in html and "<b>" not in html and "<u>x" not in html, url
        assert "&lt;i&gt;HD 1&lt;/i&gt;" in html and "B&quot;&amp;C" in html, url
        assert "&lt;u&gt;x&lt;/u&gt;" in html and "2019&lt;a&gt;" in html, url


FILTERS = "//details[@class='filters']"


def test_the_filter_form_shows_each_querys_own_values_and_errors(client):
    """The form's HTML is kept per query: a second query gets its own values, an invalid one
    its errors, and the unfiltered page an empty form again."""
    measurement()
    first = page_of(client.get("/", {"identifier": "Vega", "ud_diam_min": "1"}))
    second = page_of(client.get("/", {"identifier": "Sirius"}))
    assert first.xpath(FILTERS + "//input[@name='identifier']/@value") == ["Vega"]
    assert first.xpath(FILTERS + "//input[@name='ud_diam_min']/@value") == ["1"]
    assert second.xpath(FILTERS + "//input[@name='identifier']/@value") == ["Sirius"]
    assert second.xpath(FILTERS + "//input[@name='ud_diam_min']/@value") == []
    wrong = client.get("/", {"identifier": "Vega", "sinpe": "perhaps"}).content.decode()
    assert "is not true or false" in wrong
    assert page_of(client.get("/")).xpath(FILTERS + "//input[@name='identifier']/@value") == []
