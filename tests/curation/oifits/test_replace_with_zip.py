"""A draft's rows replaced by a corrected batch: the table alone, or a zip of the table and its
rows' OIFITS files, as the upload page takes them. All replaced, or nothing: a refused file
leaves the old rows and their files as they were. A file of the zip that no row names is said,
never dropped silently."""

from django.contrib.messages import get_messages
from django.urls import reverse

from curation import services
from curation.models import OifitsFile
from tests.curation.oifits.files import ACHERNAR, SIMULATED
from tests.curation.oifits.uploads import ACHERNAR_CELLS, post, table, upload, zipped
from tests.rows import GOOD_ROW, row


def replace(client, submission, upload_):
    return client.post(reverse("curation:replace", args=[submission.pk]), {"file": upload_})


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def a_draft_with_a_file(people, oifits_dir, capture):
    draft = services.create_submission(
        actor=people.astronomer, rows=[row(1, ID1="HD10144", UD_DIAM="1.7")], title="Achernar"
    )
    with capture(execute=True):
        (old,) = services.attach_oifits(
            draft, 1, actor=people.astronomer, files=[upload(oifits_dir, ACHERNAR)]
        )
    return draft, old


def test_a_zip_replaces_a_drafts_rows_with_their_files_and_the_worker_fits_them(
    client, people, oifits_dir, stored_oifits, django_capture_on_commit_callbacks
):
    draft, old = a_draft_with_a_file(people, oifits_dir, django_capture_on_commit_callbacks)
    corrected = zipped(
        {
            "diameters.csv": table(
                {**ACHERNAR_CELLS, "UD_DIAM": "2.0", "OIFITS": "ud2mas.fits"}, {**GOOD_ROW}
            ),
            "ud2mas.fits": (oifits_dir / SIMULATED).read_bytes(),
        }
    )
    client.force_login(people.astronomer)
    with django_capture_on_commit_callbacks(execute=True):
        answer = replace(client, draft, corrected)
    assert answer.status_code == 302
    assert said(answer) == [
        "The rows were replaced by the 2 rows of the file and their 1 OIFITS file(s)."
    ]
    assert [r.id1 for r in draft.rows.order_by("position")] == ["HD10144", GOOD_ROW["ID1"]]
    (new,) = OifitsFile.objects.all()
    assert new.row.position == 2 and new.name == "ud2mas.fits"
    assert new.state == "fitted" and round(new.fit["uniform"]["diameter"], 2) == 2.00
    assert not OifitsFile.objects.filter(pk=old.pk).exists()  # the replaced row's file went with it
    assert draft.audit.latest("pk").changes["oifits"]["2"][0].startswith("ud2mas.fits (")


def test_a_refused_file_in_the_replacing_zip_leaves_the_old_rows_and_files_untouched(
    client, people, oifits_dir, stored_oifits, django_capture_on_commit_callbacks
):
    draft, old = a_draft_with_a_file(people, oifits_dir, django_capture_on_commit_callbacks)
    corrected = zipped(
        {
            "diameters.csv": table(
                {**ACHERNAR_CELLS, "OIFITS": "ud2mas.fits"}, {**GOOD_ROW, "OIFITS": "notes.fits"}
            ),
            "ud2mas.fits": (oifits_dir / SIMULATED).read_bytes(),
            "notes.fits": b"UD 1.7 mas\n",
        }
    )
    client.force_login(people.astronomer)
    with django_capture_on_commit_callbacks(execute=True):
        answer = replace(client, draft, corrected)
    messages = said(answer)
    assert messages[0] == ("batch.zip: The OIFITS files were not attached: nothing was saved.")
    assert (
        "Row 3, column OIFITS: notes.fits was not attached: it is not an OIFITS file the portal "
        "can fit." in messages
    )
    assert [(r.position, r.id1) for r in draft.rows.all()] == [(1, "HD10144")]
    assert (
        list(OifitsFile.objects.all()) == [old]
        and old.read() == (oifits_dir / ACHERNAR).read_bytes()
    )
    assert not any(stored_oifits.iterdir())  # ud2mas.fits, written to validate it, is gone again


def test_a_zip_cannot_replace_the_rows_of_a_submitted_draft_and_writes_no_file(
    client, people, oifits_dir, stored_oifits
):
    draft = services.create_submission(actor=people.astronomer, rows=[row(1)], title="Sent")
    services.submit(draft, actor=people.astronomer)
    corrected = zipped(
        {
            "diameters.csv": table({**ACHERNAR_CELLS, "OIFITS": "ud2mas.fits"}),
            "ud2mas.fits": (oifits_dir / SIMULATED).read_bytes(),
        }
    )
    client.force_login(people.astronomer)
    answer = replace(client, draft, corrected)
    assert any("submitted" in m for m in said(answer))
    assert not OifitsFile.objects.exists()
    assert not stored_oifits.exists() or not any(stored_oifits.iterdir())


def test_a_file_no_row_names_is_named_in_a_warning_on_upload_and_on_replace(
    client, people, oifits_dir, stored_oifits, django_capture_on_commit_callbacks
):
    members = {
        "diameters.csv": table({**ACHERNAR_CELLS, "OIFITS": "night1.fits"}, {**GOOD_ROW}),
        "night1.fits": (oifits_dir / ACHERNAR).read_bytes(),
        "data/night2.fits": (oifits_dir / ACHERNAR).read_bytes(),
    }
    expected = (
        "batch.zip: no row's OIFITS column names data/night2.fits: it was not attached. To "
        "attach one, name it in a row's OIFITS column and upload the zip again, or attach it on "
        "that row's OIFITS page of the draft."
    )
    client.force_login(people.astronomer)
    with django_capture_on_commit_callbacks(execute=True):
        answer = post(client, zipped(members))
    assert answer.status_code == 302
    assert expected in said(answer)
    assert [f.name for f in OifitsFile.objects.all()] == ["night1.fits"]
    draft = OifitsFile.objects.get().row.submission
    with django_capture_on_commit_callbacks(execute=True):
        answer = replace(client, draft, zipped(members))
    assert expected in said(answer)
    client.get(draft.get_absolute_url())  # the page shows the messages so far
    # Every file named: nothing to say.
    members["diameters.csv"] = table(
        {**ACHERNAR_CELLS, "OIFITS": "night1.fits; data/night2.fits"}, {**GOOD_ROW}
    )
    with django_capture_on_commit_callbacks(execute=True):
        answer = replace(client, draft, zipped(members))
    assert not [m for m in said(answer) if "not attached" in m]
