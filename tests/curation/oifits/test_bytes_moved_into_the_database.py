"""The upgrade that moved the attached OIFITS files' bytes from their folder (OIFITS_DIR) into
the database (migrations curation 0008-0010): each file found is in its row, byte for byte; a
file missing from the folder keeps its row, which says it was lost and to attach it again."""

import hashlib
import logging

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from curation import services
from curation.models import OifitsFile
from curation.services.oifits import fit_row
from tests.curation.oifits.files import ACHERNAR, SIMULATED
from tests.rows import row

BEFORE = [("curation", "0007_oifits_files")]


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_moves_each_files_bytes_into_its_row_and_says_which_were_lost(
    client, people, oifits_dir, settings, tmp_path, caplog
):
    call_command("migrate", "curation", "0007", verbosity=0)
    OldFile = (
        MigrationExecutor(connection)
        .loader.project_state(BEFORE)
        .apps.get_model("curation", "OifitsFile")
    )
    draft = services.create_submission(
        actor=people.astronomer, rows=[row(1), row(2)], title="Achernar"
    )
    folder = settings.OIFITS_DIR = tmp_path / "oifits"  # where the portal wrote them then
    folder.mkdir()
    kept = (oifits_dir / SIMULATED).read_bytes()
    (folder / "0a1b.fits").write_bytes(kept)
    lost = (oifits_dir / ACHERNAR).read_bytes()  # never copied to the folder
    for position, name, stored, data in [(1, "ud2mas.fits", "0a1b.fits", kept),
                                         (2, "night1.fits", "9f8e.fits", lost)]:  # fmt: skip
        OldFile.objects.create(
            row_id=draft.rows.get(position=position).pk, name=name, stored=stored, size=len(data),
            sha256=hashlib.sha256(data).hexdigest(), state="fitted", progress=100,
            uploaded_by_id=people.astronomer.pk,
        )  # fmt: skip

    with caplog.at_level(logging.ERROR, logger="curation.migrations"):
        call_command("migrate", verbosity=0)

    found = OifitsFile.objects.get(name="ud2mas.fits")
    assert found.read() == kept and found.state == "fitted"
    missing = OifitsFile.objects.get(name="night1.fits")
    assert missing.read() is None and missing.state == "failed"
    assert missing.error.startswith(
        "night1.fits was lost when the portal moved its OIFITS files into the database ("
    )
    assert missing.error.endswith("attach it again to have it fitted.")
    assert "9f8e.fits" in missing.error
    assert [r.getMessage() for r in caplog.records] == [
        f"OIFITS file night1.fits (id {missing.pk}): {missing.error}"
    ]
    # The row of the lost file tells the curator, as a fit that failed does.
    fit_row(missing.row_id)
    assert OifitsFile.objects.get(pk=missing.pk).error == missing.error
    # Its download says it is missing rather than serving nothing; the other one serves its bytes.
    client.force_login(people.astronomer)
    assert client.get(missing.get_absolute_url()).status_code == 404
    assert b"".join(client.get(found.get_absolute_url()).streaming_content) == kept
