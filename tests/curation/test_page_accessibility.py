"""The curation pages as a screen reader reads them: a disabled button says why in words on
the page, the identification's progress bar has a name, the rows under review write METHOD
and BANDCODE as the catalogue table does, the current page is marked in the navigation."""

import pytest
from django.utils import timezone

from curation import services
from jmdc.models import Star
from tests.pages import accessible_name, page_of, text_of
from tests.rows import row

pytestmark = pytest.mark.django_db


def test_a_submit_button_disabled_by_errors_says_why_next_to_it(client, people):
    draft = services.create_submission(
        actor=people.astronomer, rows=[row(2, LD_DIAM="-1", UD_DIAM="")], title="one error"
    )
    client.force_login(people.astronomer)
    page = page_of(client.get(draft.get_absolute_url()))
    (button,) = page.xpath('//button[normalize-space()="Submit to the curators"]')
    assert button.get("disabled") is not None and button.get("title") is None
    reason = page.get_element_by_id(button.get("aria-describedby"))
    assert reason.getparent() is button.getparent()  # next to it, in the same form
    assert text_of(reason) == "Fix the errors first: 1 error in the rows below."


def test_a_submit_button_without_errors_is_enabled_with_no_reason(client, people, draft):
    client.force_login(people.astronomer)
    page = page_of(client.get(draft.get_absolute_url()))
    (button,) = page.xpath('//button[normalize-space()="Submit to the curators"]')
    assert button.get("disabled") is None and button.get("aria-describedby") is None


def test_the_identification_s_progress_bar_is_named_and_its_stage_said_aloud(
    client, people, django_capture_on_commit_callbacks
):
    submission = services.create_submission(actor=people.astronomer, rows=[row(2)], title="one")
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(submission, actor=people.astronomer)  # SIMBAD is unreachable in tests
    Star.objects.filter(name="HD124897").update(
        status=Star.Status.PENDING, queued_at=timezone.now()
    )
    client.force_login(people.astronomer)
    page = page_of(client.get(submission.get_absolute_url()))
    (bar,) = page.xpath('//*[@id="identification"]//progress')
    assert accessible_name(page, bar) == "Identification of the names by SIMBAD:"
    (stage,) = page.xpath("//*[@data-stage]")
    assert (stage.get("role"), stage.get("aria-live")) == ("status", "polite")
    assert text_of(stage).startswith("0% · 0 of 1 name identified by SIMBAD; HD124897 (")
    assert page.xpath("//head/script/@src") == ["/static/jmdc/progress.js"]


def test_the_rows_under_review_write_method_and_band_code_as_the_catalogue_does(
    client, people, draft
):
    client.force_login(people.astronomer)
    page = page_of(client.get(draft.get_absolute_url()))
    (table,) = page.xpath('//table[contains(@class, "rows")]')
    headers = [text_of(th) for th in table.xpath(".//thead//th")]
    assert {th.get("scope") for th in table.xpath(".//thead//th")} == {"col"}
    cells = dict(zip(headers, table.xpath(".//tbody/tr[1]/td"), strict=True))
    assert (text_of(cells["Method"]), cells["Method"].xpath("span/@title")) == (
        "1", ["optical interferometry"],
    )  # fmt: skip
    assert (text_of(cells["Band code"]), cells["Band code"].xpath("span/@title")) == ("K", ["8"])


def test_the_review_queue_is_the_current_page_in_the_navigation(client, people):
    client.force_login(people.curator)
    page = page_of(client.get("/review/"))
    assert page.xpath('//nav//a[@aria-current="page"]/text()') == ["Review queue"]
