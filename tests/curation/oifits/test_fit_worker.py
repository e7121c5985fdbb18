"""A real Celery worker, on Redis, fits the OIFITS file attached to a row (PostgreSQL: the
worker is another process and shares the database only there)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from curation import services
from curation.models import OifitsFile
from tests.broker import broker_at, wait_for
from tests.curation.oifits.files import SIMULATED
from tests.rows import row


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_worker_fits_the_attached_file_and_the_row_gets_its_finding(
    stored_oifits, worker, people, redis_url, oifits_dir
):
    draft = services.create_submission(
        actor=people.astronomer, group=people.group, title="Achernar in H",
        rows=[row(1, ID1="HD10144", UD_DIAM="2.0", LD_DIAM="2.05", E_LD_DIAM="0.02", BAND="H",
                  BANDCODE="7")],
    )  # fmt: skip
    data = (oifits_dir / SIMULATED).read_bytes()
    with broker_at(redis_url):  # the commit queues the fit for the worker
        services.attach_oifits(
            draft, 1, actor=people.astronomer, files=[SimpleUploadedFile("ud2mas.fits", data)]
        )
    assert OifitsFile.objects.get().state in ("queued", "fitting", "fitted")
    assert wait_for(lambda: OifitsFile.objects.get().state == "fitted"), OifitsFile.objects.get()
    stored = OifitsFile.objects.get()
    assert round(stored.fit["uniform"]["diameter"], 2) == 2.00 and stored.progress == 100
    assert len(stored.points["vis2"]) == stored.fit["uniform"]["points"]
    consistent = [
        f["message"] for f in draft.rows.get().findings if f["code"] == "oifits_consistent"
    ]
    assert [m.split(" is ")[0] for m in consistent] == [
        "UD_DIAM 2 ± 0.0195 mas",
        "LD_DIAM 2.05 ± 0.02 mas",
    ]
