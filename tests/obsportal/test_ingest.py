"""Ingesting the real headers, and again."""

import pytest
from django.core.management import call_command

from obsportal.ingest import ingest_paths
from obsportal.models import Exposure

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::astropy.utils.exceptions.AstropyWarning"),
]


def test_ingest_and_ingest_again(shared_dir, capsys, tmp_path):
    folder = shared_dir / "obsportal" / "headers"
    call_command("ingest_headers", str(folder))
    out = capsys.readouterr().out
    # The MATISSE FITS file and its text dump are the same exposure.
    assert "4 exposures created, 0 updated, 0 headers not ingested" in out
    assert "incomplete: GRAVI.2020-01-27T03:39:22.003_1: Missing 'HIERARCH ESO DPR CATG'" in out
    assert Exposure.objects.count() == 4
    before = Exposure.objects.get(exp_id="PIONI.2017-12-23T05:46:54.265_1").date_updated

    report = ingest_paths(sorted(folder.iterdir()))
    assert (report.created, report.updated) == (0, 0)
    assert Exposure.objects.get(exp_id="PIONI.2017-12-23T05:46:54.265_1").date_updated == before

    # A header that changed (the archive reprocessed it) updates the exposure.
    text = (folder / "PIONI.2017-12-23T05-46-54.265.primary.hdr.txt").read_text()
    changed = tmp_path / "PIONI.hdr.txt"
    changed.write_text(
        text.replace("HIERARCH ESO ISS AMBI TEMP = 13.69", "HIERARCH ESO ISS AMBI TEMP = 14.00")
    )
    report = ingest_paths([changed])
    assert (report.created, report.updated) == (0, 1)
    exposure = Exposure.objects.get(exp_id="PIONI.2017-12-23T05:46:54.265_1")
    assert exposure.temperature == 14.0 and exposure.date_updated > before


def test_a_file_that_is_not_a_header_is_reported(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("this is not a FITS header\n")
    report = ingest_paths([junk])
    assert report.created == 0 and report.skipped and report.skipped[0].startswith("notes.txt:")
