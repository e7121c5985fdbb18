"""What an astronomer is told before submitting: the templates offer an example row and the
codes, BANDCODE may be written as its band letter in a file or the form, and the form marks
the fields it requires."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from curation.models import Submission
from curation.uploads import parse_row, read_submission_file
from jmdc.columns import EXAMPLE_ROW
from tests.pages import page_of, text_of
from tests.rows import GOOD_ROW, HEADER, form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("written", "code"), [("K", 8), ("k", 8), ("8", 8), ("Q", 12), ("U", 1)])
def test_bandcode_is_read_from_its_letter_as_from_its_number(written, code):
    parsed = parse_row(2, {**GOOD_ROW, "BANDCODE": written})
    assert (parsed.values["bandcode"], parsed.cell_errors) == (code, [])


def test_a_bandcode_that_is_neither_says_both_ways_of_writing_it():
    parsed = parse_row(2, {**GOOD_ROW, "BANDCODE": "Z"})
    assert parsed.values["bandcode"] is None
    assert [e["message"] for e in parsed.cell_errors] == [
        "'Z' is not a whole number nor a band letter (U B V R I J H K L M N Q)."
    ]


def test_an_uploaded_file_may_write_bandcode_as_a_letter(client, people):
    client.force_login(people.astronomer)
    line = ",".join({**GOOD_ROW, "BANDCODE": "K"}.values()) + "\n"
    client.post(
        "/submissions/upload/",
        {"file": SimpleUploadedFile("batch.csv", (HEADER + line).encode()), "title": "letters"},
    )
    (row,) = Submission.objects.get().rows.all()
    assert row.bandcode == 8 and row.cell_errors == []


def test_the_form_shows_band_letters_and_saves_their_codes(client, people):
    client.force_login(people.astronomer)
    page = page_of(client.get("/submissions/new/"))
    options = page.xpath("//select[@name='BANDCODE']/option")
    assert [(o.get("value"), text_of(o)) for o in options][:3] == [
        ("", "—"),
        ("1", "U"),
        ("2", "B"),
    ]
    client.post("/submissions/new/", form_data(BANDCODE="8", title="one"))
    assert Submission.objects.get().rows.get().bandcode == 8


def test_the_form_marks_its_required_fields_for_the_eye_and_for_screen_readers(client, people):
    client.force_login(people.astronomer)
    page = page_of(client.get("/submissions/new/"))
    required = page.xpath("//form[@class='stacked']//*[@required]/@name")
    assert sorted(required) == ["BIBCODE", "ID1"]
    marked = page.xpath("//form[@class='stacked']//label[contains(@class, 'required')]/@for")
    assert sorted(marked) == ["id_BIBCODE", "id_ID1"]
    assert "Fields marked * are required; give UD, LD or both." in text_of(page)


def test_the_pages_offer_an_example_row_and_the_codes(client, people):
    client.force_login(people.astronomer)
    for address in ("/submissions/new/", "/submissions/upload/"):
        page = page_of(client.get(address))
        (guidance,) = page.xpath("//details[@class='guidance']")
        cells = guidance.xpath(".//table[@class='example']//td")
        assert [text_of(c) for c in cells] == list(EXAMPLE_ROW.values())
        said = text_of(guidance)
        assert (
            "METHOD: 1 optical interferometry, 2 lunar occultation, 3 intensity interferometry."
            in said
        )
        assert "BANDCODE: 1 U, 2 B, 3 V, 4 R, 5 I, 6 J, 7 H, 8 K, 9 L, 10 M, 11 N, 12 Q" in said


def test_the_example_csv_is_a_row_that_reads_without_a_problem(client, people):
    client.force_login(people.astronomer)
    response = client.get("/submissions/example.csv")
    assert response["Content-Disposition"] == 'attachment; filename="jmdc-submission-example.csv"'
    (row,) = read_submission_file("example.csv", response.content)
    assert row.cell_errors == [] and row.values["bandcode"] == 7 and row.values["id1"] == "HD 360"


def test_the_excel_template_holds_the_example_and_the_codes_beside_the_sheet_to_fill(
    client, people
):
    client.force_login(people.astronomer)
    workbook = load_workbook(io.BytesIO(client.get("/submissions/template.xlsx").content))
    assert workbook.sheetnames == ["measurements", "example", "codes", "columns"]
    assert [len(list(workbook[name].iter_rows())) for name in ("measurements", "example")] == [1, 2]
    codes = [tuple(r) for r in workbook["codes"].iter_rows(values_only=True)]
    assert ("METHOD", 2, "lunar occultation") in codes and ("BANDCODE", 8, "K") in codes
