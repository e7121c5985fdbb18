"""The OIFITS charts in Chromium, under the production policy: a row's OIFITS page and the
published measurement's page draw the V² chart and the (u,v) chart from the file the stack's
own worker fitted, with no error in the browser's console, and fit a 360 px phone as a 1280 px
screen. Screenshots: test-artifacts/e2e/row-oifits-<width>.png, measurement-oifits-<width>.png."""

import pytest
from playwright.sync_api import expect

from tests.curation.oifits.files import SIMULATED
from tests.e2e.artifacts import ARTIFACTS

from .people import sign_up

pytestmark = [pytest.mark.postgresql, pytest.mark.e2e]

WIDTHS = (1280, 360)
CHARTS = ("oifits-vis2", "oifits-uv")

# What the astronomer and a curator do through the services (the pages doing the same are
# tested elsewhere): a row with the simulated 2 mas disc attached, fitted by the stack's worker,
# submitted and accepted. The row's values are the test's; the file is the shared simulation.
PUBLISH = """
import time
from pathlib import Path
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from curation import services
from curation.models import OifitsFile
from curation.uploads import parse_row
author = User.objects.get(username={author!r})
curator = User.objects.create_user({author!r} + "-curator", password="unused-" + {author!r})
curator.groups.add(Group.objects.get(name="curators"))
row = parse_row(1, dict(ID1="HD 980001", UD_DIAM="2.0", LD_DIAM="2.05", E_LD_DIAM="0.02",
                        BAND="H", BANDCODE="7", METHOD="1", BIBCODE="2026A&A...999A..43E"))
draft = services.create_submission(actor=author, rows=[row], title="OIFITS in Chromium")
data = (Path(settings.SHARED_DATA_DIR) / "oifits" / {name!r}).read_bytes()
services.attach_oifits(draft, 1, actor=author, files=[SimpleUploadedFile("ud2mas.fits", data)])
deadline = time.monotonic() + 120
while OifitsFile.objects.get(row__submission=draft).state != "fitted":
    assert time.monotonic() < deadline, "the stack's worker did not fit the file"
    time.sleep(0.5)
services.submit(draft, actor=author)
services.start_review(draft, actor=curator)
services.accept(draft, actor=curator, acknowledge_warnings=True)
print(draft.pk, draft.rows.get().measurement.get_absolute_url())
"""


def too_wide(page) -> list[str]:
    """What of the page's content runs off the screen sideways (empty: it fits), and whether
    the page itself scrolls sideways."""
    wide = page.evaluate(
        "Array.from(document.querySelectorAll('main *'))"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".filter(e => !e.closest('.table-box, .table-container, .scroll-box, .chart-canvas svg, .chart-static svg'))"
        ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
    )
    if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
        wide.append("the page scrolls sideways")
    return wide


def test_the_row_and_the_measurement_draw_the_oifits_charts_on_any_screen(stack, new_page):
    page = new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    author = sign_up(page, "astronomer")
    output = stack.manage("shell", "-c", PUBLISH.format(author=author, name=SIMULATED), timeout=240)
    pk, measurement = output.strip().splitlines()[-1].split()  # after whatever the portal logs
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, address in (("row-oifits", f"/submissions/{pk}/rows/1/oifits/"),
                          ("measurement-oifits", measurement)):  # fmt: skip
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(address)
            for chart in CHARTS:
                figure = page.locator(f"figure[data-chart='{chart}']")
                expect(figure).to_have_attribute("data-chart-state", "drawn")
                expect(figure.locator("svg, canvas").first).to_be_visible()
            # The fitted curves are drawn with the points: the V² chart has more than one mark.
            assert page.locator("figure[data-chart='oifits-vis2'] .role-mark").count() >= 2
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
            assert too_wide(page) == [], f"{name} at {width} px"
    assert errors == []
