"""The harvests and search pages as a screen reader reads them."""

import pytest

from obsportal.models import HarvestRun
from tests.pages import accessible_name, page_of, text_of

pytestmark = pytest.mark.django_db


def test_a_running_harvest_has_a_named_progress_bar_and_says_its_stage_aloud(client, people):
    run = HarvestRun.objects.create(started_by="man", total=4, done=1)
    client.force_login(people.manager)
    page = page_of(client.get("/harvests/"))
    (bar,) = page.xpath("//progress")
    assert accessible_name(page, bar) == f"Harvest {run.pk} is running:"
    (stage,) = page.xpath("//*[@data-stage]")
    assert (stage.get("role"), stage.get("aria-live")) == ("status", "polite")
    assert text_of(stage) == "25% · 1 of 4 files"
    assert page.xpath('//nav//a[@aria-current="page"]/text()') == ["Harvests"]


def test_the_exposures_table_has_column_headers_and_a_caption(client):
    page = page_of(client.get("/search"))
    (table,) = page.xpath("//table")
    assert text_of(table.xpath("caption")[0]) == "The exposures of this search"
    assert {th.get("scope") for th in table.xpath(".//thead//th")} == {"col"}
