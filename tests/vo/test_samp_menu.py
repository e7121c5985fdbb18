"""The "Send to TOPCAT / Aladin" menu on the catalogue, a star page, the exposure search and a
release: the table's address it will send (public, or signed when the selection holds rows
the public cannot see), the help it offers without a hub, and the page's policy letting the
script reach the hub (http://127.0.0.1:21012) on these pages only. The hub itself: the
Chromium test (tests/e2e/test_samp_in_chromium.py)."""

import datetime
import json

import pytest

from jmdc.models import Star
from jmdc.releases import build, freeze
from lib.table_links import verify
from tests.builders import measurement, tomorrow
from tests.obsportal.builders import exposure
from tests.pages import page_of, text_of

pytestmark = pytest.mark.django_db

HUB = "http://127.0.0.1:21012"


def menu_of(response) -> dict:
    """What the menu's script will send: the table's address, name and (a star) position."""
    page = page_of(response)
    menus = page.xpath("//div[@class='samp']")
    assert len(menus) == 1
    assert page.xpath("//script[contains(@src, 'js/samp.js')]")  # loaded in the head
    button = menus[0].xpath(".//button[@class='samp-open']")[0]
    assert text_of(button) == "Send to TOPCAT / Aladin / any table viewer"
    assert button.get("aria-expanded") == "false"
    status = menus[0].xpath(".//*[@role='status']")[0]
    assert status.get("aria-live") == "polite"
    return {**json.loads(menus[0].get("data-samp")), "page": page}


def connect_src(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(d for d in policy.split(";") if d.strip().startswith("connect-src"))


def test_the_catalogue_sends_the_public_votable_of_its_current_filters(client):
    measurement(id1="HD360", method=1)
    response = client.get("/?method=1&sort=-ld_diam&page=1")
    menu = menu_of(response)
    assert menu["url"] == "http://testserver/export.vot?method=1&sort=-ld_diam"
    assert "signed=" not in menu["url"]
    assert HUB in connect_src(response)
    help_text = text_of(menu["page"].xpath("//div[@class='samp-help']")[0])
    assert "Start TOPCAT or Aladin Desktop" in help_text
    assert menu["page"].xpath("//a[@class='samp-download']")[0].get("href") == (
        "/export.vot?method=1&sort=-ld_diam"
    )
    assert menu["page"].xpath("//input[@id='samp-url']")[0].get("value") == menu["url"]
    adql = text_of(menu["page"].xpath("//pre[@class='samp-adql']")[0])
    assert adql == "SELECT * FROM jmdc.measurements WHERE method IN (1)"
    python = menu["page"].xpath("//pre[@class='samp-python']")[0].text_content()
    assert 'TAPService("http://testserver/tap")' in python and "method IN (1)" in python


def test_a_members_selection_with_embargoed_rows_is_sent_as_a_signed_link(client, people):
    measurement(id1="HD360")
    measurement(id1="HD3750", group=people.group, embargo_until=tomorrow())
    client.force_login(people.astronomer)
    menu = menu_of(client.get("/?bibcode=2019"))
    path, _, query = menu["url"].removeprefix("http://testserver").partition("?")
    assert path == "/export.vot" and query.startswith("bibcode=2019&signed=")
    assert verify(path, query) == people.astronomer.pk
    assert "Do not share it" in text_of(menu["page"].xpath("//div[@class='samp-help']")[0])


def test_a_member_whose_selection_is_all_public_sends_the_public_link(client, people):
    measurement(id1="HD360")
    measurement(id1="HD3750", group=people.group, embargo_until=tomorrow())
    client.force_login(people.astronomer)
    menu = menu_of(client.get("/?identifier=HD360"))
    assert menu["url"] == "http://testserver/export.vot?identifier=HD360"


def test_the_star_page_sends_its_rows_and_its_position(client):
    row = measurement(id1="HD360")
    star = row.star
    # SIMBAD's position of a resolved star (invented values)
    star.ra, star.dec, star.status = 2.35, -8.82, Star.Status.RESOLVED
    star.save()
    response = client.get(f"/star/{star.pk}/")
    menu = menu_of(response)
    assert menu["url"] == f"http://testserver/export.vot?star={star.pk}"
    assert (menu["ra"], menu["dec"]) == (2.35, -8.82)
    assert menu["name"] == "JMDC HD360"
    adql = text_of(menu["page"].xpath("//pre[@class='samp-adql']")[0])
    assert adql.rsplit(" = ", 1) == ["SELECT * FROM jmdc.measurements WHERE star_id", str(star.pk)]
    assert HUB in connect_src(response)


def test_the_exposure_search_sends_the_votable_of_the_same_query(client):
    exposure("PIONI.2019-01-01T01:00:00.000", 10.0, 20.0)
    response = client.get("/search?instrument=PIONIER&page=2")
    menu = menu_of(response)
    assert menu["url"] == "http://testserver/search.votable?instrument=PIONIER&all_fields=true"
    assert not menu["page"].xpath("//pre[@class='samp-adql']")  # no TAP query claimed
    assert HUB in connect_src(response)


def test_a_release_sends_its_published_votable(client):
    row = ("HD360", "", None, 0.906, 0.014, "H", None, 1, 7, "", "2019Natur.567..200P", False)
    made = freeze([(None, row)], version="2026.1", date=datetime.date(2026, 11, 23))
    build(made.pk)
    response = client.get("/releases/2026.1/")
    menu = menu_of(response)
    assert menu["url"] == "http://testserver/releases/2026.1/files/jmdc.vot"
    assert client.get("/releases/2026.1/files/jmdc.vot").status_code == 200
    assert HUB in connect_src(response)


def test_pages_without_the_menu_keep_the_hub_out_of_their_policy(client):
    response = client.get("/columns")
    assert HUB not in connect_src(response)
    assert b"samp-open" not in response.content


def test_a_members_star_page_with_an_embargoed_row_sends_a_signed_link(client, people):
    measurement(id1="HD360")
    star = measurement(id1="HD360", group=people.group, embargo_until=tomorrow()).star
    client.force_login(people.colleague)
    menu = menu_of(client.get(f"/star/{star.pk}/"))
    path, _, query = menu["url"].removeprefix("http://testserver").partition("?")
    assert query.startswith(f"star={star.pk}&signed=")
    assert verify(path, query) == people.colleague.pk
    client.logout()
    assert menu_of(client.get(f"/star/{star.pk}/"))["url"].endswith(f"/export.vot?star={star.pk}")
