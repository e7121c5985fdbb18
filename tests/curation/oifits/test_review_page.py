"""The curator reviews a row's OIFITS data on the submission's page itself: under the row and its
findings, a <details> with the files, the fit and the V² and (u,v) charts, without a click to
another page; the page draws the charts of its first rows only, so that a large batch opens
quickly, and says where the others' are."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from curation import services
from curation.models import OifitsFile
from curation.oifits_pages import REVIEW_CHARTED_ROWS
from tests.curation.oifits.files import ACHERNAR_ROW, SIMULATED
from tests.rows import row


def attach_simulated(submission, position, people, oifits_dir, capture):
    data = SimpleUploadedFile("ud2mas.fits", (oifits_dir / SIMULATED).read_bytes())
    with capture(execute=True):
        return services.attach_oifits(submission, position, actor=people.astronomer, files=[data])


def test_the_review_page_shows_each_rows_charts_beside_its_findings(
    client, people, achernar_draft, oifits_dir, stored_oifits, django_capture_on_commit_callbacks
):
    attach_simulated(achernar_draft, 1, people, oifits_dir, django_capture_on_commit_callbacks)
    services.submit(achernar_draft, actor=people.astronomer)
    services.start_review(achernar_draft, actor=people.curator)
    client.force_login(people.curator)
    page = client.get(achernar_draft.get_absolute_url()).content.decode()

    finding = page.index("UD_DIAM 2 ± 0.0195 mas is consistent with the uniform disc fitted")
    details = page.index('<details class="oifits" id="oifits-row-1">')
    assert finding < details < page.index("<h2>History and discussion</h2>")
    row_1 = page[details : page.index("</details>", details)]
    assert (
        "OIFITS data of row 1: 1 file, uniform disc 2.001 mas, limb-darkened disc 2.050 mas, "
        "with the V² and (u,v) charts</summary>" in row_1
    )
    assert 'data-chart="oifits-row-1-vis2"' in row_1 and 'data-chart="oifits-row-1-uv"' in row_1
    assert "ud2mas.fits" in row_1 and ">Remove</button>" not in row_1
    assert "vendor/vega/vega-bundle.js" in page  # the page loads the chart scripts
    assert 'id="oifits-row-2"' not in page  # row 2 has no file
    # The row of the details spans the whole table, so that its charts have the page's width.
    table = page[page.index('<table class="catalogue rows">') :]
    headers = table[: table.index("</thead>")].count("<th ")
    assert f'<tr class="oifits-row"><td colspan="{headers}">' in table


def test_a_large_batch_draws_the_charts_of_its_first_rows_and_links_the_others(
    client, people, oifits_dir, stored_oifits, django_capture_on_commit_callbacks
):
    count = REVIEW_CHARTED_ROWS + 2
    batch = services.create_submission(
        actor=people.astronomer, rows=[row(p, **ACHERNAR_ROW) for p in range(1, count + 1)],
        title="a large batch",
    )  # fmt: skip
    (fitted,) = attach_simulated(batch, 1, people, oifits_dir, django_capture_on_commit_callbacks)
    fitted.refresh_from_db()
    for other in batch.rows.exclude(position=1):  # the same data on each row, as the worker left it
        OifitsFile.objects.create(
            row=other, name=f"night{other.position}.fits", content=b"",
            size=fitted.size, sha256=fitted.sha256, revision=1, state="fitted", fit=fitted.fit,
            points=fitted.points, uploaded_by=people.astronomer,
        )  # fmt: skip
    client.force_login(people.astronomer)
    page = client.get(batch.get_absolute_url()).content.decode()

    drawn = sorted({int(n) for n in re.findall(r'data-chart="oifits-row-(\d+)-vis2"', page)})
    assert drawn == list(range(1, REVIEW_CHARTED_ROWS + 1))
    for position in (count - 1, count):
        details = page[page.index(f'id="oifits-row-{position}"') :]
        details = details[: details.index("</details>")]
        assert "night" in details and "uniform disc 2.001 mas" in details  # its files and fit
        assert "The charts of this row are on" in details
        assert f"/submissions/{batch.pk}/rows/{position}/oifits/" in details
