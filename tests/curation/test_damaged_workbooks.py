"""Issue #14, second review, defect 2: a damaged .xlsx (a zip whose parts are broken) is
answered with what to do, on the upload page and the replace-file page, never a 500. The
damaged files are made here from a good workbook written with openpyxl."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from curation.models import Submission
from tests.rows import GOOD_ROW

pytestmark = pytest.mark.django_db


def good_workbook() -> bytes:
    workbook = Workbook()
    workbook.active.append(list(GOOD_ROW))
    workbook.active.append(list(GOOD_ROW.values()))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def damaged(part: str, how) -> bytes:
    """The good workbook with one part rewritten by ``how`` (bytes -> bytes)."""
    source = zipfile.ZipFile(io.BytesIO(good_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, how(data) if item.filename == part else data)
    return out.getvalue()


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


DAMAGE = {
    "a truncated sheet1.xml": ("xl/worksheets/sheet1.xml", truncated),
    "a broken workbook.xml": ("xl/workbook.xml", truncated),
    "a broken styles.xml": ("xl/styles.xml", truncated),
    "a broken [Content_Types].xml": ("[Content_Types].xml", truncated),
    "a sheet that is not XML": ("xl/worksheets/sheet1.xml", lambda _: b"\x00\xff not xml"),
    "a workbook.xml of another shape": ("xl/workbook.xml", lambda _: b"<a><b/></a>"),
}


def message_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_workbook_uploaded_is_answered_and_nothing_is_saved(client, people, damage):
    client.force_login(people.astronomer)
    data = damaged(*DAMAGE[damage])
    response = client.post(
        "/submissions/upload/", {"file": SimpleUploadedFile("batch.xlsx", data)}, follow=True
    )
    assert response.status_code == 200
    assert "batch.xlsx: the workbook 'batch.xlsx' is damaged (" in message_of(response)
    assert "): save it again from your spreadsheet program." in message_of(response)
    assert not Submission.objects.exists()


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_workbook_replacing_a_drafts_rows_is_answered_and_keeps_them(
    client, people, draft, damage
):
    client.force_login(people.astronomer)
    data = damaged(*DAMAGE[damage])
    response = client.post(
        f"/submissions/{draft.pk}/replace/",
        {"file": SimpleUploadedFile("new.xlsx", data)},
        follow=True,
    )
    assert response.status_code == 200
    assert "the workbook 'new.xlsx' is damaged (" in message_of(response)
    assert draft.rows.count() == 1
