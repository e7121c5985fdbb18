"""A batch upload brings its rows' OIFITS files: a zip holding the table, whose OIFITS column
names each row's files, and the files. The rows and their files are saved together or not at
all; a zip too large unpacked is refused before anything is unpacked."""

import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from curation.models import OifitsFile, Submission
from tests.curation.oifits.files import ACHERNAR, SIMULATED
from tests.curation.oifits.uploads import ACHERNAR_CELLS, post, table, zipped
from tests.rows import GOOD_ROW


def errors_of(response) -> str:
    return " ".join(e for errors in response.context["zip_form"].errors.values() for e in errors)


def nothing_saved(stored_oifits):
    assert not Submission.objects.exists()
    assert not OifitsFile.objects.exists()
    assert not stored_oifits.exists() or not any(stored_oifits.iterdir())


def test_a_zip_saves_the_rows_with_the_files_each_row_names_and_the_worker_fits_them(
    client, people, oifits_dir, stored_oifits, django_capture_on_commit_callbacks
):
    simulated = (oifits_dir / SIMULATED).read_bytes()
    upload = zipped(
        {
            "batch/diameters.csv": table(
                {**ACHERNAR_CELLS, "UD_DIAM": "2.0", "OIFITS": "ud2mas.fits"},
                {**GOOD_ROW},
                {**ACHERNAR_CELLS, "OIFITS": "batch/night1.fits; night2.fits"},
            ),
            "batch/ud2mas.fits": simulated,
            "batch/night1.fits": (oifits_dir / ACHERNAR).read_bytes(),
            "night2.fits": (oifits_dir / ACHERNAR).read_bytes(),
            "__MACOSX/batch/._ud2mas.fits": b"resource fork",
        }
    )
    client.force_login(people.astronomer)
    with django_capture_on_commit_callbacks(execute=True):
        answer = post(client, upload)
    assert answer.status_code == 302, errors_of(answer)
    submission = Submission.objects.get()
    assert submission.file_name == "batch.zip: batch/diameters.csv"
    files = {
        row.position: sorted(f.name for f in row.oifits_files.all())
        for row in submission.rows.all()
    }
    assert files == {2: ["ud2mas.fits"], 3: [], 4: ["night1.fits", "night2.fits"]}
    first = OifitsFile.objects.get(name="ud2mas.fits")
    assert first.state == "fitted" and round(first.fit["uniform"]["diameter"], 2) == 2.00
    assert first.read() == simulated  # in the database, as the zip held it
    assert not any(stored_oifits.iterdir())  # and no copy elsewhere
    achernar = OifitsFile.objects.filter(row__position=4)
    assert {f.state for f in achernar} == {"fitted"}
    # One fit of both files together (the same data twice: the same diameter as one copy).
    assert [sorted(f.fit["files"]) for f in achernar] == [["night1.fits", "night2.fits"]] * 2
    assert submission.audit.get().changes["oifits"]["4"][0].startswith("night1.fits (")


def test_a_file_the_table_names_but_the_zip_lacks_is_named_with_its_row_and_nothing_is_saved(
    client, people, oifits_dir, stored_oifits
):
    upload = zipped(
        {
            "diameters.csv": table(
                {**ACHERNAR_CELLS, "OIFITS": "night1.fits"},
                {**ACHERNAR_CELLS, "OIFITS": "nigth2.fits"},
            ),
            "night1.fits": (oifits_dir / ACHERNAR).read_bytes(),
            "night2.fits": (oifits_dir / ACHERNAR).read_bytes(),
        }
    )
    client.force_login(people.astronomer)
    answer = post(client, upload)
    assert answer.status_code == 200
    assert (
        "batch.zip: row 3, column OIFITS: nigth2.fits is not in the zip (its other files: "
        "night1.fits, night2.fits): add it, or correct the name. Nothing was saved."
    ) in errors_of(answer)
    nothing_saved(stored_oifits)


def test_every_refused_file_is_named_with_its_row_and_no_file_stays(
    client, people, oifits_dir, stored_oifits
):
    upload = zipped(
        {
            "diameters.csv": table(
                {**ACHERNAR_CELLS, "OIFITS": "night1.fits"},
                {**ACHERNAR_CELLS, "OIFITS": "notes.fits"},
                {**ACHERNAR_CELLS, "OIFITS": "empty.fits"},
            ),
            "night1.fits": (oifits_dir / ACHERNAR).read_bytes(),
            "notes.fits": b"UD 1.7 mas\n",
            "empty.fits": b"",
        }
    )
    client.force_login(people.astronomer)
    answer = post(client, upload)
    assert answer.status_code == 400
    problems = [str(e) for e in answer.context["zip_form"].non_field_errors()]
    assert (
        "Row 3, column OIFITS: notes.fits was not attached: it is not an OIFITS file the "
        "portal can fit." in problems
    )
    assert (
        "Row 3, column OIFITS: notes.fits: notes.fits is not a FITS file (it does not begin "
        "with SIMPLE = T, as every FITS file does); an OIFITS file is a FITS file." in problems
    )
    assert any(p.startswith("Row 4, column OIFITS: empty.fits was not attached") for p in problems)
    assert not any(p.startswith("Row 2") for p in problems)
    nothing_saved(stored_oifits)  # night1.fits, accepted, was written and is gone again


def test_a_zip_too_large_once_unpacked_is_refused_before_anything_is_unpacked(
    client, people, stored_oifits, settings
):
    settings.SUBMISSION_ZIP_MAX_BYTES = 1_000_000
    # 5 MB of zeros deflate to a few kB: the sent zip is small, its content is not.
    upload = zipped(
        {
            "diameters.csv": table({**ACHERNAR_CELLS, "OIFITS": "zeros.fits"}),
            "zeros.fits": bytes(5_000_000),
        }
    )
    assert upload.size < 20_000
    client.force_login(people.astronomer)
    answer = post(client, upload)
    assert (
        "batch.zip: the zip's files take 5.0 MB once unpacked, over the limit of 1.0 MB: split "
        "the submission into several zips. Nothing was saved."
    ) in errors_of(answer)
    nothing_saved(stored_oifits)


def test_a_zip_larger_than_the_limit_is_refused_from_its_length_before_it_is_read(
    client, people, stored_oifits, settings
):
    settings.SUBMISSION_ZIP_MAX_BYTES = 10_000
    client.force_login(people.astronomer)
    upload = zipped(
        {"diameters.csv": table(GOOD_ROW), "x.fits": random.Random(1).randbytes(100_000)}
    )
    answer = post(client, upload)
    assert answer.status_code == 413
    assert "larger than the limit of 0.0 MB" in answer.content.decode()
    nothing_saved(stored_oifits)


def test_a_path_climbing_out_of_the_zip_writes_nothing_outside_the_storage(
    client, people, oifits_dir, stored_oifits, tmp_path, django_capture_on_commit_callbacks
):
    upload = zipped(
        {
            "diameters.csv": table({**ACHERNAR_CELLS, "UD_DIAM": "2.0", "OIFITS": "ud2mas.fits"}),
            "../../ud2mas.fits": (oifits_dir / SIMULATED).read_bytes(),
        }
    )
    client.force_login(people.astronomer)
    with django_capture_on_commit_callbacks(execute=True):
        answer = post(client, upload)
    assert answer.status_code == 302, errors_of(answer)
    stored = OifitsFile.objects.get()
    assert stored.name == "ud2mas.fits" and stored.read() == (oifits_dir / SIMULATED).read_bytes()
    assert not any(stored_oifits.iterdir())
    assert not list(tmp_path.parent.parent.glob("ud2mas.fits"))
    assert not list(tmp_path.parent.glob("ud2mas.fits"))


@pytest.mark.parametrize(
    "members, expected",
    [
        (
            {"a.csv": b"ID1\n", "b.xlsx": b""},
            "the zip must hold exactly one table (.csv or .xlsx) beside the OIFITS files; it "
            "holds a.csv, b.xlsx.",
        ),
        (
            {"x.fits": b"SIMPLE"},
            "the zip must hold exactly one table (.csv or .xlsx) beside the OIFITS files; it "
            "holds none.",
        ),
    ],
)
def test_a_zip_without_exactly_one_table_says_so(client, people, stored_oifits, members, expected):
    client.force_login(people.astronomer)
    answer = post(client, zipped(members))
    assert f"batch.zip: {expected} Nothing was saved." in errors_of(answer)
    nothing_saved(stored_oifits)


def test_a_table_naming_oifits_files_without_its_zip_is_refused_saying_to_send_the_zip(
    client, people, stored_oifits
):
    client.force_login(people.astronomer)
    data = table({**ACHERNAR_CELLS, "OIFITS": "night1.fits"})
    answer = client.post("/submissions/upload/", {"file": SimpleUploadedFile("d.csv", data)})
    errors = " ".join(e for errors in answer.context["form"].errors.values() for e in errors)
    assert (
        "d.csv: row 2, column OIFITS names night1.fits: OIFITS files come with their table in "
        "one .zip (the table and the files): upload the zip, or empty the OIFITS column."
    ) in errors
    nothing_saved(stored_oifits)


def test_the_upload_page_says_how_to_send_the_files_in_a_zip(client, people):
    client.force_login(people.astronomer)
    page = client.get("/submissions/upload/").content.decode()
    assert "add a column <code>OIFITS</code> to the table naming each row's" in page
    assert 'action="/submissions/upload/zip/"' in page
    assert 'name="zip-file"' in page
    # the limits in the MB the refusals use, not filesizeformat's binary 47.7 "MB" for 50 MB
    assert "Limits: 200 MB for the\nzip unpacked, 50 MB for one OIFITS file." in page
