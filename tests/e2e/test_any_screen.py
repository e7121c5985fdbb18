"""The pages a reader, an astronomer and a curator use most, at a desk (1280 px) and on a
phone (390 px): nothing wider than the screen (tables scroll inside their own box), and a
screenshot of each kept in test-artifacts/e2e/<page>-<width>.png for people to look at."""

import pytest

from tests.e2e.artifacts import ARTIFACTS

from .people import sign_up

pytestmark = [pytest.mark.postgresql, pytest.mark.e2e]

WIDTHS = (1280, 390)


def overflow(page) -> dict:
    """How far the page is wider than the window (0: it fits), and what sticks out."""
    return page.evaluate(
        """() => {
            const width = window.innerWidth;
            const wide = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > width + 1)
                .filter(e => !e.closest('.table-container, .scroll-box, .visually-hidden'))
                .slice(0, 5).map(e => e.tagName + '.' + e.className);
            return {excess: document.documentElement.scrollWidth - width, wide: wide};
        }"""
    )


def shoot(page, name: str) -> dict:
    """Each width in turn: the screenshot, and what does not fit."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    found = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        if (measured := overflow(page))["excess"] > 0:
            found[f"{name}-{width}"] = measured
    return found


def test_the_main_pages_fit_a_phone_and_a_desk_screen(stack, new_page):
    page = new_page()
    curator = sign_up(page, "curator")
    stack.appoint(curator, "curators")
    found = {}

    page.goto("/")
    found |= shoot(page, "catalogue")
    row_page = page.locator("a.row-link").first.get_attribute("href")
    page.goto(row_page)
    found |= shoot(page, "measurement")
    page.goto("/review/")
    found |= shoot(page, "review-queue")
    page.goto("/submissions/new/")
    found |= shoot(page, "submission-form")
    assert found == {}


def test_on_a_phone_the_catalogue_filters_fold_above_the_table(stack, new_page):
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto("/")
    identifier = page.locator("#id_identifier")
    assert not identifier.is_visible()
    page.get_by_text("Filter", exact=True).click()
    assert identifier.is_visible()
    filters, table = page.locator("details.filters"), page.locator("table.catalogue")
    assert filters.bounding_box()["y"] < table.bounding_box()["y"]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    assert page.locator("#id_identifier").is_visible()  # the sidebar, open without a tap
