"""A diameter travels from an astronomer's browser, through the broker and the worker, to the
public catalogue and /export_csv: sign up, one row by the form, a batch file with a mistake,
the findings, the fix, a curator's acceptance, SIMBAD's identification by the worker."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from .people import sign_up

pytestmark = [pytest.mark.postgresql, pytest.mark.e2e]

BIBCODE = "2026A&A...999A..42E"  # invented bibcode of invented measurements
HEADER = "ID1,ID2,UD_DIAM,LD_DIAM,E_LD_DIAM,BAND,MU_LAMBDA,METHOD,BANDCODE,NOTES,BIBCODE,SINPE"


def test_a_submission_travels_from_the_form_to_the_public_catalogue(stack, new_page):
    author = new_page()
    sign_up(author, "astronomer")

    # One diameter through the form: saved as a draft, its findings shown, then submitted.
    author.goto("/submissions/new/")
    author.fill("#id_title", "E2E: one diameter by the form")
    author.fill("#id_ID1", "HD 990001")
    author.fill("#id_UD_DIAM", "1.234")
    author.fill("#id_LD_DIAM", "1.301")
    author.fill("#id_E_LD_DIAM", "0.012")
    author.fill("#id_BAND", "H")
    author.select_option("#id_METHOD", "1")
    author.select_option("#id_BANDCODE", "7")
    author.fill("#id_BIBCODE", BIBCODE)
    author.get_by_role("button", name=re.compile("save", re.I)).click()
    expect(author.locator("h1 .state")).to_have_text("draft")
    expect(author.locator("main")).to_contain_text("1 row: 0 errors")
    form_submission = author.url
    # Submitting hands the name to the worker for SIMBAD; the page follows it by itself.
    with stack.worker_paused():
        author.get_by_role("button", name="Submit to the curators").click()
        expect(author.locator("h1 .state")).to_have_text("submitted")
        expect(author.locator("#identification progress")).to_be_visible()
    expect(author.locator("#identification")).to_contain_text(
        "1 of 1 name identified by SIMBAD", timeout=60_000
    )

    # A batch file whose second row is wrong: the findings name the row and the column, and
    # the draft cannot be submitted until the file is replaced.
    rows = [
        HEADER,
        f"HD 990002,alf Test,2.50,2.61,0.03,K,,1,8,,{BIBCODE},",
        f"HD 990003,,3.10,-3.20,0.04,K,,1,8,,{BIBCODE},",
    ]
    author.goto("/submissions/upload/")
    author.fill("#id_title", "E2E: a batch file")
    author.set_input_files(
        "#id_file",
        {"name": "batch.csv", "mimeType": "text/csv", "buffer": "\n".join(rows).encode()},
    )
    author.get_by_role("button", name="Upload and check", exact=True).click()  # not the zip's
    expect(author.locator("main")).to_contain_text("2 rows: 1 error")
    finding = author.locator("table.rows tbody tr").nth(1).locator(".finding.error")
    expect(finding).to_contain_text("LD_DIAM")
    expect(author.get_by_role("button", name="Submit to the curators")).to_be_disabled()

    rows[2] = f"HD 990003,,3.10,3.20,0.04,K,,1,8,,{BIBCODE},"
    author.set_input_files(
        "#id_file",
        {"name": "batch-fixed.csv", "mimeType": "text/csv", "buffer": "\n".join(rows).encode()},
    )
    author.get_by_role("button", name="Replace the rows").click()
    expect(author.locator("main")).to_contain_text("2 rows: 0 errors")
    author.get_by_role("button", name="Submit to the curators").click()
    expect(author.locator("h1 .state")).to_have_text("submitted")

    # A curator (appointed as a manager would, in the admin) reviews and accepts both.
    curator = new_page()
    curator_name = sign_up(curator, "curator")
    stack.appoint(curator_name, "curators")
    curator.goto("/review/")
    for title in ("E2E: one diameter by the form", "E2E: a batch file"):
        curator.goto("/review/")
        curator.get_by_role("link", name=title).first.click()
        curator.get_by_role("button", name="Start the review").click()
        expect(curator.locator("h1 .state")).to_have_text("in review")
        curator.fill("#id_text", "Checked against the paper (e2e test).")
        acknowledge = curator.locator("#id_acknowledge_warnings")
        if acknowledge.count():
            acknowledge.check()
        curator.get_by_role("button", name="Accept and publish").click()
        expect(curator.locator("h1 .state")).to_have_text("accepted")

    # The author sees the publication; anyone sees the rows in the table and in /export_csv.
    author.goto(form_submission)
    expect(author.locator("h1 .state")).to_have_text("accepted")
    public = new_page()
    public.goto("/?identifier=HD+99000")
    table = public.locator("table tbody")
    for name in ("HD 990001", "HD 990002", "HD 990003"):
        expect(table).to_contain_text(name)
    exported = public.request.get("/export_csv?identifier=HD+99000")
    assert exported.ok
    lines = list(csv.DictReader(io.StringIO(exported.text())))
    by_star = {line["ID1"]: line for line in lines}
    assert set(by_star) == {"HD 990001", "HD 990002", "HD 990003"}
    assert float(by_star["HD 990001"]["LD_DIAM"]) == pytest.approx(1.301)
    assert by_star["HD 990003"]["BIBCODE"] == BIBCODE

    # The worker resolved the names with SIMBAD (the stand-in's invented objects).
    public.get_by_role("link", name="HD 990002").first.click()
    for _ in range(60):
        if "* tst E2E-B" in public.inner_text("main"):
            break
        public.wait_for_timeout(500)
        public.reload()
    expect(public.locator("main")).to_contain_text("* tst E2E-B")
