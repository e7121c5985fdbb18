"""Long operations in the browser: the page shows the task's progress while it waits in the
queue or runs in the worker, and turns into the result by itself (progress.js) when it ends.

To see the queued state every time, the worker is told to stop consuming while the operation
is started (`stack.worker_paused()`), then to resume: the message waits in Redis meanwhile.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from standins.eso import header_row

from .people import sign_up

pytestmark = [pytest.mark.postgresql, pytest.mark.e2e]


def public_count(page) -> int:
    answer = page.request.get("/api/v1/measurements/?page_size=1")
    assert answer.ok, answer.text()
    return answer.json()["count"]


def test_a_large_export_shows_its_progress_then_downloads(stack, new_page):
    page = new_page()
    total = public_count(page)
    assert total > 1000, "the stack streams at most 1000 rows (EXPORT_STREAM_MAX_ROWS)"
    page.goto("/")
    with stack.worker_paused():
        page.get_by_role("link", name="Excel", exact=True).click()
        expect(page).to_have_url(re.compile(r"/exports/[0-9a-f-]+/$"))
        expect(page.locator("[data-progress-url] progress")).to_be_visible()
        expect(page.locator("[data-stage]")).to_contain_text(f"of {total} rows written")
    # No reload by the test: progress.js follows the task and reloads the page once it ends.
    link = page.get_by_role("link", name="Download jmdc.xlsx")
    expect(link).to_be_visible(timeout=60_000)
    with page.expect_download() as waiting:
        link.click()
    assert waiting.value.suggested_filename == "jmdc.xlsx"
    workbook = load_workbook(io.BytesIO(Path(waiting.value.path()).read_bytes()), read_only=True)
    header, *rows = workbook.worksheets[0].iter_rows(values_only=True)
    assert header[:2] == ("ID1", "ID2")
    assert len(rows) == total


def test_a_release_build_shows_its_progress_then_its_files(stack, new_page):
    page = new_page()
    manager = sign_up(page, "manager")
    stack.appoint(manager, "managers")
    total = public_count(page)
    page.goto("/releases/")
    page.get_by_role("link", name="Cut a new release").click()
    page.fill("#id_version", "2026.e2e")
    page.fill("#id_notes", "Cut by the end-to-end test.")
    with stack.worker_paused():
        page.get_by_role("button", name="Freeze and build").click()
        expect(page.locator("h1")).to_have_text("Release 2026.e2e")
        expect(page.locator("[data-progress-url] progress")).to_be_visible()
    files = page.locator("table.files")
    expect(files).to_contain_text("jmdc.dat", timeout=60_000)
    for name in ("ReadMe", "jmdc.csv", "jmdc.xlsx", "jmdc.vot", "SHA256SUMS"):
        expect(files).to_contain_text(name)
    answer = page.request.get("/releases/2026.e2e/files/jmdc.csv")
    assert answer.ok
    rows = list(csv.DictReader(io.StringIO(answer.text())))
    assert len(rows) == total


def test_a_harvest_shows_its_progress_then_the_exposures_are_searchable(
    stack, new_page, shared_dir
):
    headers = sorted((shared_dir / "obsportal" / "headers").glob("*.hdr.txt"))
    # The real headers, under archive modification dates INVENTED for the test.
    stack.eso.add(
        *(
            header_row(path.read_text(), f"2024-01-0{n}T00:00:00Z")
            for n, path in enumerate(headers, 1)
        )
    )
    page = new_page()
    manager = sign_up(page, "manager")
    stack.appoint(manager, "managers")
    page.goto("/harvests/")
    with stack.worker_paused():
        page.get_by_role("button", name="Harvest now").click()
        expect(page.locator("[data-progress-url] progress")).to_be_visible()
    # progress.js reloads the page once the run has ended: the button is back.
    expect(page.get_by_role("button", name="Harvest now")).to_be_visible(timeout=60_000)
    latest = page.locator("table.catalogue tbody tr").first
    expect(latest.locator(".state")).to_have_text("done")

    # The exposures are found by their target's header name, and download as VOTable.
    page.goto("/search")
    page.fill("#id_target", "HD 45677")  # the header says HD45677
    page.get_by_role("button", name="Search").click()
    results = page.locator("table tbody")
    expect(results).to_contain_text("PIONI.2017-12-23T05:46:54.265")
    expect(results).to_contain_text("PIONIER")
    with page.expect_download() as waiting:
        page.get_by_role("link", name="VOTable").first.click()
    text = Path(waiting.value.path()).read_text()
    assert "<VOTABLE" in text
    assert "PIONI.2017-12-23T05:46:54.265" in text
