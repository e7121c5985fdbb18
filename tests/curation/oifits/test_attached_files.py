"""An astronomer attaches the OIFITS data behind a row; a worker fits it; the curator reads the
finding and sees the chart on the review page; once accepted, the measurement's page shows the
data and offers its download to whoever may see the measurement."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from curation import services
from curation.models import OifitsFile, Submission
from tests.curation.oifits.files import ACHERNAR_ROW, HD45677, SIMULATED
from tests.curation.oifits.uploads import api_client, upload
from tests.rows import row


def attach(client, submission, position, *files):
    return client.post(
        reverse("curation:row_oifits", args=[submission.pk, position]), {"files": list(files)}
    )


def test_an_attached_file_is_fitted_reviewed_published_and_downloaded_by_who_may_see_it(
    client, people, achernar_draft, oifits_dir, stored_oifits, django_capture_on_commit_callbacks
):
    client.force_login(people.astronomer)
    with django_capture_on_commit_callbacks(execute=True):
        answer = attach(client, achernar_draft, 1, upload(oifits_dir, SIMULATED, "ud2mas.fits"))
    assert answer.status_code == 302
    stored = OifitsFile.objects.get()
    assert (stored.name, stored.state, stored.revision) == ("ud2mas.fits", "fitted", 1)
    assert stored.size == (oifits_dir / SIMULATED).stat().st_size and len(stored.sha256) == 64
    assert round(stored.fit["uniform"]["diameter"], 2) == 2.00
    assert stored.read() == (oifits_dir / SIMULATED).read_bytes()  # in the database, as uploaded

    services.submit(achernar_draft, actor=people.astronomer)
    services.start_review(achernar_draft, actor=people.curator)
    client.force_login(people.curator)
    review = client.get(achernar_draft.get_absolute_url()).content.decode()
    assert (
        "UD_DIAM 2 ± 0.0195 mas is consistent with the uniform disc fitted to its OIFITS data, 2.001 ± 0.003 mas"
        in review
    )
    page = client.get(reverse("curation:row_oifits", args=[achernar_draft.pk, 1])).content.decode()
    assert 'data-chart="oifits-vis2"' in page and 'data-chart="oifits-uv"' in page
    assert (
        "is consistent with the limb-darkened disc (linear limb darkening mu = 0.3, the default: the row gives no MU_LAMBDA)"
        in page
    )

    services.accept(achernar_draft, actor=people.curator, acknowledge_warnings=True)
    stored.refresh_from_db()
    measurement = achernar_draft.rows.get(position=1).measurement
    assert stored.measurement == measurement

    client.force_login(people.colleague)  # of the group: sees the embargoed measurement
    published = client.get(measurement.get_absolute_url()).content.decode()
    assert "The OIFITS data of this measurement" in published
    assert 'data-chart="oifits-vis2"' in published
    download = reverse("curation:oifits_download", args=[stored.pk])
    assert download in published
    got = client.get(download)
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == (oifits_dir / SIMULATED).read_bytes()
    assert 'filename="ud2mas.fits"' in got["Content-Disposition"]

    client.logout()  # embargoed: nobody outside the group downloads it, nor sees it listed
    assert client.get(download).status_code == 404
    assert client.get(measurement.get_absolute_url()).status_code == 404
    client.force_login(people.outsider)
    assert client.get(download).status_code == 404


def test_a_file_over_the_limit_is_refused_naming_it_and_the_submission_is_untouched(
    client, people, achernar_draft, oifits_dir, stored_oifits, settings
):
    settings.OIFITS_MAX_BYTES = 40_000
    before = Submission.objects.get(pk=achernar_draft.pk).updated_at
    client.force_login(people.astronomer)
    answer = attach(client, achernar_draft, 1, upload(oifits_dir, SIMULATED, "big.fits"))
    text = answer.content.decode()
    assert answer.status_code == 400
    assert "big.fits was not attached: it is too large." in text
    assert (
        "big.fits: 0.049 MB, over the limit of 0.04 MB for one OIFITS file: attach the data of "
        "this measurement only (split the file by night or by instrument)." in text
    )
    assert not OifitsFile.objects.exists()
    assert Submission.objects.get(pk=achernar_draft.pk).updated_at == before
    assert not stored_oifits.exists() or not any(stored_oifits.iterdir())


def test_a_text_file_is_refused_as_not_fits_and_nothing_stays(
    client, people, achernar_draft, stored_oifits
):
    rows_before = list(achernar_draft.rows.values())
    client.force_login(people.astronomer)
    answer = attach(client, achernar_draft, 1, SimpleUploadedFile("notes.txt", b"UD 2.0 mas\n"))
    text = answer.content.decode()
    assert "notes.txt was not attached: it is not an OIFITS file the portal can fit." in text
    assert (
        "notes.txt: notes.txt is not a FITS file (it does not begin with SIMPLE = T, as every "
        "FITS file does); an OIFITS file is a FITS file." in text
    )
    assert not OifitsFile.objects.exists()
    assert not any(stored_oifits.iterdir())
    assert list(achernar_draft.rows.values()) == rows_before
    assert achernar_draft.audit.count() == 1  # its creation only


def test_a_file_of_another_target_is_a_warning_naming_both(
    client, people, achernar_draft, oifits_dir, stored_oifits, django_capture_on_commit_callbacks
):
    client.force_login(people.astronomer)
    with django_capture_on_commit_callbacks(execute=True):
        attach(client, achernar_draft, 1, upload(oifits_dir, HD45677))
    first = achernar_draft.rows.get(position=1)
    warning = [f for f in first.findings if f["code"] == "oifits_target"]
    assert warning == [
        {
            "field": "ID1", "severity": "warning", "code": "oifits_target",
            "message": "The OIFITS data are of HD45677, not of HD10144 (Achernar): attach the "
            "files of this row's star, or correct ID1.",
        }
    ]  # fmt: skip
    not_a_disc = [f for f in first.findings if f["code"] == "oifits_not_a_disc"]
    assert not_a_disc and not_a_disc[0]["severity"] == "info"
    assert not_a_disc[0]["message"].startswith("A uniform disc does not describe these data")
    # The other row is untouched by the first one's file.
    assert not [f for f in achernar_draft.rows.get(position=2).findings if "oifits" in f["code"]]
    services.submit(achernar_draft, actor=people.astronomer)
    services.start_review(achernar_draft, actor=people.curator)
    with pytest.raises(services.SubmissionInvalid) as refused:
        services.accept(achernar_draft, actor=people.curator)
    assert any("The OIFITS data are of HD45677" in p for p in refused.value.problems)


def test_a_row_far_from_its_data_is_a_warning_the_curator_acknowledges(
    people, achernar_draft, oifits_dir, stored_oifits, django_capture_on_commit_callbacks
):
    services.update_row(
        achernar_draft, 1, actor=people.astronomer, row=row(1, **{**ACHERNAR_ROW, "UD_DIAM": "2.3"})
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.attach_oifits(
            achernar_draft, 1, actor=people.astronomer, files=[upload(oifits_dir, SIMULATED)]
        )
    far = [f for f in achernar_draft.rows.get(position=1).findings if f["code"] == "oifits_far"]
    assert far[0]["severity"] == "warning"
    assert far[0]["message"].startswith("UD_DIAM 2.3 ± 0.0224 mas is ")
    assert (
        "combined sigma from the uniform disc fitted to its OIFITS data, 2.001 ± 0.003 mas"
        in far[0]["message"]
    )


def test_an_outsider_cannot_attach_and_no_file_is_written(
    people, achernar_draft, oifits_dir, stored_oifits
):
    with pytest.raises(Exception) as refused:
        services.attach_oifits(
            achernar_draft, 1, actor=people.outsider, files=[upload(oifits_dir, SIMULATED)]
        )
    assert "You may not do this (edited rows) on submission" in str(refused.value)
    assert not OifitsFile.objects.exists()
    assert not stored_oifits.exists() or not any(stored_oifits.iterdir())


def test_with_the_broker_down_the_files_wait_and_the_sweep_queues_them_again(
    people, achernar_draft, oifits_dir, stored_oifits, django_capture_on_commit_callbacks
):
    from curation.services.oifits import sweep_queued_oifits
    from tests.broker import BROKER_DOWN, broker_at

    with broker_at(BROKER_DOWN), django_capture_on_commit_callbacks(execute=True):
        services.attach_oifits(
            achernar_draft, 1, actor=people.astronomer, files=[upload(oifits_dir, SIMULATED)]
        )
    waiting = OifitsFile.objects.get()
    assert waiting.state == "queued"
    assert waiting.error.startswith("The fit could not be queued (")
    OifitsFile.objects.update(queued_at=timezone.now() - datetime.timedelta(hours=1))
    assert sweep_queued_oifits(600) == 1  # the broker is back (eager in the tests)
    waiting.refresh_from_db()
    assert waiting.state == "fitted"


def test_the_api_attaches_files_to_a_row_and_answers_their_fit(
    people, achernar_draft, oifits_dir, stored_oifits, django_capture_on_commit_callbacks
):
    client = api_client(people.astronomer)
    address = f"/api/v1/submissions/{achernar_draft.pk}/rows/1/oifits/"
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            address, {"files": [upload(oifits_dir, SIMULATED, "ud2mas.fits")]}, format="multipart"
        )
    assert answer.status_code == 201, answer.content
    (attached,) = answer.json()
    assert attached["name"] == "ud2mas.fits"
    assert attached["download"].endswith(f"/oifits/{attached['id']}/download/")
    listed = client.get(address).json()
    assert listed[0]["state"] == "fitted"
    assert round(listed[0]["fit"]["uniform"]["diameter"], 2) == 2.0

    refused = client.post(
        address, {"files": [SimpleUploadedFile("notes.txt", b"UD 2.0\n")]}, format="multipart"
    )
    assert refused.status_code == 400
    assert "notes.txt was not attached: it is not an OIFITS file the portal can fit." in (
        refused.content.decode()
    )
    assert OifitsFile.objects.count() == 1
    assert client.get(f"/api/v1/submissions/{achernar_draft.pk}/rows/9/oifits/").status_code == 404
    assert api_client(people.outsider).get(address).status_code == 404


def test_replacing_the_rows_removes_their_files_from_the_storage(
    people, achernar_draft, oifits_dir, stored_oifits, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.attach_oifits(
            achernar_draft, 1, actor=people.astronomer, files=[upload(oifits_dir, SIMULATED)]
        )
    assert OifitsFile.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.replace_rows(achernar_draft, actor=people.astronomer, rows=[row(1)])
    assert not OifitsFile.objects.exists()  # the rows held the bytes: they went with them
    assert not any(stored_oifits.iterdir())


def oifits_messages(submission, position):
    row = submission.rows.get(position=position)
    return {f["code"]: f["message"] for f in row.findings if f["code"].startswith("oifits_")}


def test_a_corrected_diameter_is_compared_again_with_the_fit_at_once(
    people, achernar_draft, oifits_dir, stored_oifits, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.attach_oifits(
            achernar_draft, 1, actor=people.astronomer, files=[upload(oifits_dir, SIMULATED)]
        )
    assert "oifits_consistent" in oifits_messages(achernar_draft, 1)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        services.update_row(
            achernar_draft, 1, actor=people.astronomer,
            row=row(1, **{**ACHERNAR_ROW, "UD_DIAM": "2.3"}),
        )  # fmt: skip
    assert not queued  # the fit does not depend on UD_DIAM: it is not made again
    assert OifitsFile.objects.get().state == "fitted"
    assert oifits_messages(achernar_draft, 1)["oifits_far"].startswith("UD_DIAM 2.3 ± 0.0224 mas")


def test_a_new_mu_lambda_fits_the_files_again_and_no_finding_speaks_of_the_old_mu_meanwhile(
    people, achernar_draft, oifits_dir, stored_oifits, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.attach_oifits(
            achernar_draft, 1, actor=people.astronomer, files=[upload(oifits_dir, SIMULATED)]
        )
    assert OifitsFile.objects.get().fit["limb_darkened"]["mu"] == 0.3
    edited = row(1, **{**ACHERNAR_ROW, "MU_LAMBDA": "0.2"})
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.update_row(achernar_draft, 1, actor=people.astronomer, row=edited)
    assert OifitsFile.objects.get().state == "queued"  # waiting for the worker
    assert oifits_messages(achernar_draft, 1) == {}  # not the mu = 0.3 fit's findings
    for callback in queued:  # the worker's turn
        callback()
    stored = OifitsFile.objects.get()
    assert stored.state == "fitted" and stored.fit["limb_darkened"]["mu"] == 0.2
    ld = [m for m in oifits_messages(achernar_draft, 1).values() if "limb-darkened disc" in m]
    assert ld and "(linear limb darkening mu = 0.2)" in ld[0]


def test_the_pages_and_the_api_list_files_without_reading_their_bytes(
    client, people, achernar_draft, oifits_dir, stored_oifits, django_capture_on_commit_callbacks
):
    # A file's bytes (up to 50 MB) are read by its download and the worker only.
    with django_capture_on_commit_callbacks(execute=True):
        (stored,) = services.attach_oifits(
            achernar_draft, 1, actor=people.astronomer,
            files=[upload(oifits_dir, SIMULATED, "ud2mas.fits")],
        )  # fmt: skip
    client.force_login(people.astronomer)
    pages = [
        reverse("curation:row_oifits", args=[achernar_draft.pk, 1]),
        achernar_draft.get_absolute_url(),
    ]
    with CaptureQueriesContext(connection) as queries:
        for page in pages:
            assert client.get(page).status_code == 200
        listed = api_client(people.astronomer).get(
            f"/api/v1/submissions/{achernar_draft.pk}/rows/1/oifits/"
        )
        assert listed.status_code == 200
    assert not [q["sql"] for q in queries if '"content"' in q["sql"]]
    with CaptureQueriesContext(connection) as queries:
        download = client.get(stored.get_absolute_url())
        assert b"".join(download.streaming_content) == (oifits_dir / SIMULATED).read_bytes()
    assert len([q for q in queries if '"content"' in q["sql"]]) == 1
    assert download["Content-Disposition"] == 'attachment; filename="ud2mas.fits"'
