"""The star page of the 2020 catalogue's most measured star (HD84810, l Car: 31 rows), drawn
by Chromium under the production Content-Security-Policy: its charts hold one point per
diameter by the chart's own data and by the marks drawn, and the page fits a wide and a
phone-sized screen (screenshots star-page-1280.png, star-page-390.png in test-artifacts/e2e)."""

import pytest

from jmdc.columns import band_wavelength
from tests.e2e.artifacts import ARTIFACTS

pytestmark = [pytest.mark.postgresql, pytest.mark.e2e]

STAR = "HD84810"
DRAWN = "figure[data-chart='{}'][data-chart-state='drawn']"


def points_in(page, chart: str) -> dict[str, int]:
    """The chart's points as the browser holds them: its data set, and the symbols drawn
    (the plot's, not the legend's)."""
    return page.evaluate(
        """(chart) => {
            const figure = document.querySelector(`figure[data-chart='${chart}']`);
            return {
                data: figure.vegaView.data("diameters").length,
                drawn: figure.querySelectorAll(".mark-symbol.role-mark path").length,
            };
        }""",
        chart,
    )


def overflow(page) -> dict[str, int]:
    """How wide the page runs, how far right the star page's own content reaches (any element
    of its sections, as laid out, not hidden in a scrolling box), and which outermost elements
    run past the screen's edge (to name the culprit)."""
    return page.evaluate(
        """() => {
            const edge = window.innerWidth;
            const right = (e) => Math.ceil(e.getBoundingClientRect().right);
            const clipped = (e) => e.closest(".star-table, figure.chart") && !e.matches(".star-table, figure.chart");
            const own = [...document.querySelectorAll("main section, main section *")]
                .filter((e) => !clipped(e)).map(right);
            const past = [...document.querySelectorAll("body *")]
                .filter((e) => right(e) > edge && !clipped(e) && (!e.parentElement || right(e.parentElement) <= edge))
                .map((e) => e.tagName.toLowerCase() + (e.className && typeof e.className === "string" ? "." + e.className.split(" ").join(".") : ""));
            return {scroll: document.documentElement.scrollWidth, inner: edge,
                    sections: Math.max(...own), past: past.slice(0, 10)};
        }"""
    )


def test_the_most_measured_stars_page_plots_every_measurement_and_fits_any_screen(stack, new_page):
    page = new_page()
    answer = page.request.get(f"/api/v1/measurements/?identifier={STAR}&page_size=200").json()
    rows = [r for r in answer["results"] if r["id1"] == STAR]
    assert len(rows) >= 30, "the 2020 catalogue gives HD84810 31 rows"
    (star,) = {r["star"] for r in rows}
    diameters = [
        r for r in rows for value in (r["ud_diam"], r["ld_diam"]) if value is not None and value > 0
    ]
    placed = [r for r in diameters if band_wavelength(r["band"] or "") is not None]

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/star/{star}/")
    page.wait_for_selector(DRAWN.format("chart-wavelength"))
    page.wait_for_selector(DRAWN.format("chart-year"))
    assert page.locator("section.star-diameters tbody tr").count() == len(rows)
    assert points_in(page, "chart-year") == {"data": len(diameters), "drawn": len(diameters)}
    assert points_in(page, "chart-wavelength") == {"data": len(placed), "drawn": len(placed)}
    # The charts are as wide as their box, not Vega's default 300 px nor nothing.
    width = page.evaluate(
        "document.querySelector(\"figure[data-chart='chart-year'] svg\").getBoundingClientRect().width"
    )
    assert 400 < width <= 1280

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "star-page-1280.png"), full_page=True)
    wide = overflow(page)
    assert wide["scroll"] <= wide["inner"] and wide["sections"] <= wide["inner"], wide

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_selector(DRAWN.format("chart-year"))
    page.screenshot(path=str(ARTIFACTS / "star-page-390.png"), full_page=True)
    narrow = overflow(page)
    # The star page's own blocks fit the phone's width; the site's header and layout are
    # site.css's (checked with the whole page below).
    assert narrow["sections"] <= narrow["inner"], narrow
    assert narrow["scroll"] <= narrow["inner"], narrow
