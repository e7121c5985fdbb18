"""The site's frame (base.html): its navigation and where pages put their scripts."""

import pytest

from tests.pages import page_of

pytestmark = pytest.mark.django_db


def test_the_navigation_says_which_page_is_shown(client):
    page = page_of(client.get("/releases/"))
    current = page.xpath('//header//nav//a[@aria-current="page"]')
    assert [a.text for a in current] == ["Releases"]
    assert page.xpath('//nav//a[text()="Catalogue"]')[0].get("aria-current") is None


def test_a_page_outside_the_navigation_marks_no_link(client):
    page = page_of(client.get("/accounts/signup/"))
    assert page.xpath("//nav//a[@aria-current]") == []


def test_a_page_s_script_is_a_file_loaded_in_the_head_and_no_page_has_an_inline_script(client):
    page = page_of(client.get("/"))
    assert [s.get("src") for s in page.xpath("//head/script")] == [
        "/static/jmdc/toolbar.js",
        "/static/js/samp.js",  # the Send to TOPCAT / Aladin menu
    ]
    assert page.xpath("//script[not(@src)]") == []
