"""A reader of a published measurement sees how its UD and LD compare with the discs fitted to
its own OIFITS data: the published value, the fitted one, their difference in combined sigma and
the outcome, the very comparison the accepting curator read among the row's findings."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from curation import services
from tests.curation.oifits.files import SIMULATED
from tests.rows import row

NEAR = {"ID1": "HD10144", "UD_DIAM": "2.0", "LD_DIAM": "2.05", "E_LD_DIAM": "0.02", "BAND": "H", "BANDCODE": "7"}  # fmt: skip
FAR = {**NEAR, "UD_DIAM": "2.3", "LD_DIAM": "2.36"}


@pytest.fixture
def published(people, oifits_dir, stored_oifits, django_capture_on_commit_callbacks):
    """Two rows of the simulated 2 mas disc, one published near its fit and one far from it."""
    draft = services.create_submission(
        actor=people.astronomer, rows=[row(1, **NEAR), row(2, **FAR)], title="2 mas twice"
    )
    for position in (1, 2):
        data = SimpleUploadedFile("ud2mas.fits", (oifits_dir / SIMULATED).read_bytes())
        with django_capture_on_commit_callbacks(execute=True):
            services.attach_oifits(draft, position, actor=people.astronomer, files=[data])
    services.submit(draft, actor=people.astronomer)
    services.start_review(draft, actor=people.curator)
    services.accept(draft, actor=people.curator, acknowledge_warnings=True)
    return {r.position: r for r in draft.rows.select_related("measurement")}


def comparison(client, measurement) -> dict[str, list[str]]:
    page = client.get(measurement.get_absolute_url()).content.decode()
    table = page.split('class="catalogue oifits-comparison"')[1].split("</table>")[0]
    lines = {}
    for line in re.findall(r"<tr class=\"\w+\">(.*?)</tr>", table, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", line)
        ]
        lines[cells[0]] = cells[1:]
    return lines


def test_a_published_value_near_its_fit_is_shown_consistent_with_the_fitted_value(
    client, published
):
    lines = comparison(client, published[1].measurement)
    assert lines["UD_DIAM"] == [
        "2 ± 0.0195", "uniform disc 2.001 ± 0.003", "0.0",
        "consistent (within 3 combined sigma)",
    ]  # fmt: skip
    assert lines["LD_DIAM"][0] == "2.05 ± 0.02"
    assert lines["LD_DIAM"][1].startswith("limb-darkened disc ")
    assert lines["LD_DIAM"][3] == "consistent (within 3 combined sigma)"


def test_a_published_value_far_from_its_fit_says_how_far_as_the_review_did(client, published):
    lines = comparison(client, published[2].measurement)
    ud = lines["UD_DIAM"]
    assert ud[:2] == ["2.3 ± 0.0195", "uniform disc 2.001 ± 0.003"]
    assert ud[3] == "far from the fit (over 3 combined sigma)"
    # The same number of sigma as the finding the accepting curator acknowledged.
    (finding,) = [
        f for f in published[2].findings if f["code"] == "oifits_far" and f["field"] == "UD_DIAM"
    ]
    assert finding["message"].startswith(f"UD_DIAM 2.3 ± 0.0195 mas is {ud[2]} combined sigma from")
    assert float(ud[2]) > 3


def test_a_measurement_whose_file_is_not_a_disc_is_not_compared(
    client, people, oifits_dir, stored_oifits, django_capture_on_commit_callbacks
):
    from tests.curation.oifits.files import HD45677

    draft = services.create_submission(
        actor=people.astronomer, rows=[row(1, **{**NEAR, "ID1": "HD45677"})], title="B[e]"
    )
    data = SimpleUploadedFile("matisse.fits", (oifits_dir / HD45677).read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        services.attach_oifits(draft, 1, actor=people.astronomer, files=[data])
    services.submit(draft, actor=people.astronomer)
    services.start_review(draft, actor=people.curator)
    services.accept(draft, actor=people.curator, acknowledge_warnings=True)
    lines = comparison(client, draft.rows.get().measurement)
    assert lines["UD_DIAM"][2] == "—"
    assert lines["UD_DIAM"][3].startswith("not a disc: a disc does not describe these data")
