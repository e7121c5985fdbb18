"""The science pages in Chromium, under the production policy: an exposure page draws its
(u,v) tracks (one segment per baseline and its mirror, read from the drawn chart), /statistics
draws its charts with its static sky whether or not CDS's Aladin Lite can be reached, and both
fit a 390 px screen as a 1280 px one. Screenshots: test-artifacts/e2e/exposure-page-1280.png,
exposure-page-390.png, statistics-1280.png, statistics-390.png."""

import pytest
from playwright.sync_api import expect

from tests.e2e.artifacts import ARTIFACTS

pytestmark = [pytest.mark.postgresql, pytest.mark.e2e]

# An INVENTED exposure (not ESO's) with three baselines, in the shape of a PIONIER header.
EXPOSURE = "PIONI.2099-01-01T01:02:03.456_1"
MAKE_EXPOSURE = f"""
from django.utils import timezone
from obsportal.models import Exposure
Exposure.objects.update_or_create(exp_id={EXPOSURE!r}, defaults=dict(
    header_id={EXPOSURE[:-2]!r}, mjd_start=88069.04, mjd_end=88069.05, category="science",
    instrument="PIONIER", stations="A0 B2 C1", program="0104.D-0001(A)", tau0=0.0042,
    target_name="TEST TARGET", ra=10.0, dec=-20.0, date_updated=timezone.now(),
    baselines={{"A0-B2": {{"length": [10.0, 11.0], "angle": [5.0, 15.0]}},
               "A0-C1": {{"length": [20.0, 21.0], "angle": [50.0, 58.0]}},
               "B2-C1": {{"length": [30.0, 31.0], "angle": [100.0, 110.0]}}}}))
"""
WIDTHS = (1280, 390)
ARTIFACTS.mkdir(parents=True, exist_ok=True)


def fits_the_screen(page) -> None:
    """Nothing of the page's own content runs off the screen sideways, and the page as a whole
    does not scroll sideways (the header's navigation wraps)."""
    own = page.evaluate(
        "Array.from(document.querySelectorAll('main *'))"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".filter(e => !e.closest('.table-box, .chart-canvas svg, .chart-static svg'))"
        ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
    )
    assert own == [], f"runs off the screen: {own}"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def drawn(page, chart: str):
    figure = page.locator(f"figure[data-chart='{chart}']")
    expect(figure).to_have_attribute("data-chart-state", "drawn")
    return figure


def test_an_exposure_page_draws_its_uv_tracks_on_any_screen(stack, new_page):
    stack.manage("shell", "-c", MAKE_EXPOSURE)
    page = new_page()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/detail/exposure/{EXPOSURE}")
        expect(page.locator("h1")).to_have_text(f"Exposure {EXPOSURE}")
        figure = drawn(page, "uv-tracks")
        # The chart's own drawing: one segment per baseline and one for its mirror.
        tracks = figure.locator(".chart-canvas g.mark-rule.role-mark line")
        expect(tracks).to_have_count(6)
        labels = figure.locator(".chart-canvas [aria-label*='track']")
        expect(labels).to_have_count(6)
        assert page.evaluate(
            "document.querySelector(\"figure[data-chart='uv-tracks']\").vegaView !== undefined"
        )
        expect(page.locator("main")).to_contain_text("τ0 4.2 ms")
        expect(page.locator("main")).to_contain_text("UT")
        page.screenshot(path=str(ARTIFACTS / f"exposure-page-{width}.png"), full_page=True)
        fits_the_screen(page)


def test_the_statistics_page_draws_the_catalogue_as_a_whole_on_any_screen(stack, new_page):
    page = new_page()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/statistics")
        expect(page.locator("h1")).to_have_text("The catalogue as a whole")
        for chart in ("chart-years", "chart-bands", "chart-sky", "chart-colour"):
            drawn(page, chart)
        # The static sky holds a point per star placed (the catalogue's, read from its view).
        stars = page.evaluate(
            "document.querySelector(\"figure[data-chart='chart-sky']\")"
            ".vegaView.data('rows').length"
        )
        assert stars > 100
        page.screenshot(path=str(ARTIFACTS / f"statistics-{width}.png"), full_page=True)
        fits_the_screen(page)
