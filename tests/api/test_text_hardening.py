"""Issue #14, defects 1, 8 (duplicate oracle) and 9, as a user meets them: through the API,
the pages and the upload. Values invented; HD186427's row is the published catalogue's."""

from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from curation.models import Submission
from tests.builders import measurement, tomorrow
from tests.rows import GOOD_ROW

pytestmark = pytest.mark.django_db

ELLIPSIS_NOTE = "n" * 203 + "\u2026"  # 204 characters; VizieR writes … as ..., 206
ELLIPSIS_MESSAGE = (
    "204 characters, but 206 as VizieR writes them in ASCII ('\u2026' as '...'); "
    "the VizieR column holds 204: shorten it."
)


def create(client, rows, **fields):
    response = client.post(
        "/api/v1/submissions/", {"title": "invented", "rows": rows, **fields}, format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_note_that_vizier_would_write_too_long_blocks_submitting_naming_row_column_and_length(
    api,
):
    author = api("author")
    body = create(author, [GOOD_ROW, {**GOOD_ROW, "NOTES": ELLIPSIS_NOTE}])
    refused = author.post(f"/api/v1/submissions/{body['id']}/submit/")
    assert refused.status_code == 400
    (error,) = refused.json()["errors"]
    assert (error["row"], error["field"], error["message"]) == (2, "NOTES", ELLIPSIS_MESSAGE)
    assert Submission.objects.get().state == "draft"


def test_a_correction_to_a_note_that_vizier_would_write_too_long_is_refused(people):
    published = measurement(notes="short")
    curator = Client()
    curator.force_login(people.curator)
    cells = {
        "ID1": "HD360", "LD_DIAM": "0.906", "E_LD_DIAM": "0.014", "BAND": "H", "METHOD": "1",
        "BANDCODE": "7", "BIBCODE": "2019Natur.567..200P", "NOTES": ELLIPSIS_NOTE,
    }  # fmt: skip
    response = curator.post(
        f"/measurement/{published.pk}/correct/", {**cells, "reason": "typo"}, follow=True
    )
    assert response.status_code == 200
    assert f"measurement {published.pk}, column NOTES: {ELLIPSIS_MESSAGE}" in unescape(
        response.content.decode()
    )
    published.refresh_from_db()
    assert published.notes == "short"
    assert Client().get("/export.dat").status_code == 200


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("ID1", "HD\u202e124897", "U+202E RIGHT-TO-LEFT OVERRIDE at position 3: an invisible bidirectional control"),
        ("ID1", "HD124897\u200b", "U+200B ZERO WIDTH SPACE at position 9: a zero-width character"),
        ("ID2", "\ufeffalf Boo", "U+FEFF ZERO WIDTH NO-BREAK SPACE at position 1: a zero-width character"),
        ("BAND", "\u041a", None),  # one Cyrillic letter alone is not a Latin name: the band rule speaks
        ("ID1", "\u041dD 360", "U+041D CYRILLIC CAPITAL LETTER EN at position 1 is a Cyrillic letter among Latin ones"),
        ("BIBCODE", "2008A&A...485..561\u0141", None),  # Ł is Latin: an ordinary bibcode error
    ],
)  # fmt: skip
def test_an_invisible_or_look_alike_character_in_a_name_is_an_error_through_the_api(
    api, cell, value, message
):
    body = create(api("author"), [{**GOOD_ROW, cell: value}])
    errors = [f for f in body["rows"][0]["findings"] if f["severity"] == "error"]
    if message is None:
        assert not any(f["code"] in ("bidi_control", "mixed_script") for f in errors)
        return
    (error,) = errors
    assert error["field"] == cell
    assert error["message"].startswith(message)


def test_a_no_break_space_in_a_name_is_made_plain_with_a_warning_through_the_form(people):
    client = Client()
    client.force_login(people.astronomer)
    cells = {**GOOD_ROW, "ID1": "HD\u00a0124897", "NOTES": "first line\r\nsecond line"}
    response = client.post("/submissions/new/", {**cells, "title": "form"}, follow=True)
    page = response.content.decode()
    row = Submission.objects.get().rows.get()
    assert (row.id1, row.notes) == ("HD 124897", "first line second line")
    assert "ID1: U+00A0 NO-BREAK SPACE at position 3 replaced by a plain space" in page
    assert (
        "NOTES: control characters removed: U+000D CARRIAGE RETURN at position 11, "
        "U+000A LINE FEED at position 12 (a line break or tab became a blank)"
    ) in page


def test_greek_letters_in_notes_are_kept_without_a_finding(api):
    notes = "LD coefficient \u03bc\u03bb = 0.352, \u03c3 from the fit"
    body = create(api("author"), [{**GOOD_ROW, "NOTES": notes, "ID2": "\u03b1 Boo"}])
    row = body["rows"][0]
    assert (row["notes"], row["id2"]) == (notes, "\u03b1 Boo")
    assert [f["code"] for f in row["findings"]] == []


def test_an_uploaded_file_with_a_cyrillic_letter_shows_the_error_on_the_submission_page(people):
    client = Client()
    client.force_login(people.astronomer)
    header = ",".join(GOOD_ROW) + "\n"
    line = ",".join({**GOOD_ROW, "ID1": "\u041dD 360"}.values()) + "\n"
    upload = SimpleUploadedFile("rows.csv", (header + line).encode("utf-8"))
    response = client.post("/submissions/upload/", {"file": upload, "title": "up"}, follow=True)
    page = response.content.decode()
    assert "error · ID1: U+041D CYRILLIC CAPITAL LETTER EN at position 1" in page
    submit = client.post(f"/submissions/{Submission.objects.get().pk}/submit/", follow=True)
    assert "row 2, column ID1: U+041D CYRILLIC CAPITAL LETTER EN" in submit.content.decode()
    assert Submission.objects.get().state == "draft"


def test_an_uploaded_windows_1252_file_is_read_with_a_warning_naming_the_encoding(people):
    client = Client()
    client.force_login(people.astronomer)
    header = ",".join(GOOD_ROW) + "\n"
    line = ",".join({**GOOD_ROW, "NOTES": "\u201cscaled sun\u201d model"}.values()) + "\n"
    upload = SimpleUploadedFile("rows.csv", (header + line).encode("cp1252"))
    page = client.post("/submissions/upload/", {"file": upload}, follow=True).content.decode()
    assert Submission.objects.get().rows.get().notes == "\u201cscaled sun\u201d model"
    assert "warning · NOTES: the file is not UTF-8: it was read as Windows-1252" in page


def test_the_published_row_whose_error_exceeds_its_value_can_be_submitted_again(api):
    row = {**GOOD_ROW, "ID1": "HD186427", "UD_DIAM": "", "LD_DIAM": "0.467", "E_LD_DIAM": "0.49",
           "BAND": "H", "BANDCODE": "7", "BIBCODE": "2013MNRAS.433.1262W"}  # fmt: skip
    author = api("author")
    body = create(author, [row])
    (finding,) = [f for f in body["rows"][0]["findings"] if f["code"] == "error_too_large"]
    assert finding["severity"] == "warning"
    assert author.post(f"/api/v1/submissions/{body['id']}/submit/").status_code == 200


class TestTheDuplicateWarningIsNoOracle:
    """An embargoed row of another group with the same values: the outsider learns nothing,
    the curator is told (a warning only curators see), the group's own members are told."""

    @pytest.fixture
    def embargoed(self, people):
        values = {"id1": "HD124897", "id2": "alf Boo", "ud_diam": 19.9, "ld_diam": 20.91,
                  "e_ld_diam": 0.07, "band": "K", "bandcode": 8, "bibcode": "2008A&A...485..561L"}  # fmt: skip
        return measurement(**values, group=people.group, embargo_until=tomorrow())

    def test_the_outsider_sees_no_hint_and_the_curator_does(self, api, people, embargoed):
        outsider, curator = api("outsider"), api("curator")
        body = create(outsider, [GOOD_ROW])
        pk = body["id"]
        assert body["rows"][0]["findings"] == []
        assert outsider.post(f"/api/v1/submissions/{pk}/submit/").status_code == 200

        seen = curator.get(f"/api/v1/submissions/{pk}/").json()["rows"][0]["findings"]
        assert [(f["code"], f["severity"]) for f in seen] == [("duplicate_unseen", "warning")]
        assert seen[0]["message"] == (
            f"measurement {embargoed.pk}, which the submitter may not see (embargoed for another "
            "group), has this star, bibcode, band and values: check that this is not a duplicate "
            "before accepting."
        )
        curator.post(f"/api/v1/submissions/{pk}/start_review/")
        accept = curator.post(f"/api/v1/submissions/{pk}/accept/", {}, format="json")
        assert accept.status_code == 400
        assert [e["code"] for e in accept.json()["errors"]] == ["duplicate_unseen"]

        # After the curator's recheck, the outsider still reads nothing of it.
        again = outsider.get(f"/api/v1/submissions/{pk}/").json()["rows"][0]["findings"]
        assert again == []
        page = Client()
        page.force_login(people.outsider)
        html = page.get(f"/submissions/{pk}/").content.decode()
        assert "duplicate" not in html and f"measurement {embargoed.pk}" not in html
        page.force_login(people.curator)
        assert f"measurement {embargoed.pk}, which the submitter may not see" in (
            page.get(f"/submissions/{pk}/").content.decode()
        )

    def test_a_member_of_the_group_is_told_of_the_duplicate_by_its_number(
        self, api, people, embargoed
    ):
        body = create(api("author"), [GOOD_ROW], group=people.group.name)
        (finding,) = body["rows"][0]["findings"]
        assert finding["code"] == "duplicate"
        assert f"(measurement {embargoed.pk})" in finding["message"]

    def test_a_row_of_the_authors_other_group_is_not_shown_to_the_shared_group(
        self, api, people, embargoed
    ):
        # The author is in two groups; the draft is shared with the second, whose members
        # may not see the first group's embargoed rows: they must not learn of them either.
        other = Group.objects.create(name="CHARA survey")
        people.astronomer.groups.add(other)
        people.outsider.groups.add(other)
        body = create(api("author"), [GOOD_ROW], group=other.name)
        assert (
            api("outsider").get(f"/api/v1/submissions/{body['id']}/").json()["rows"][0]["findings"]
            == []
        )


def test_a_line_break_before_a_bibcode_in_the_form_is_removed_with_a_warning(people):
    client = Client()
    client.force_login(people.astronomer)
    cells = {**GOOD_ROW, "BIBCODE": "\n2008A&A...485..561L"}
    page = client.post("/submissions/new/", cells, follow=True).content.decode()
    assert Submission.objects.get().rows.get().bibcode == "2008A&A...485..561L"
    assert "BIBCODE: control characters removed: U+000A LINE FEED at position 1" in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("\uff28\uff24 360", "U+FF28 FULLWIDTH LATIN CAPITAL LETTER H at position 1 (type 'H'), "
         "U+FF24 FULLWIDTH LATIN CAPITAL LETTER D at position 2 (type 'D'): a fullwidth, "
         "mathematical, circled or superscript form of a plain character, which makes a name "
         "that looks like another one; type 'HD 360' with plain characters."),
        ("\u210d\U0001d53b 360", "U+210D DOUBLE-STRUCK CAPITAL H at position 1 (type 'H'), "
         "U+1D53B MATHEMATICAL DOUBLE-STRUCK CAPITAL D at position 2 (type 'D')"),
        ("HD 3\u034f60", "U+034F COMBINING GRAPHEME JOINER at position 5: invisible"),
        ("HD 360\ufe0f", "U+FE0F VARIATION SELECTOR-16 at position 7: invisible"),
        ("HD\u3164360", "U+3164 HANGUL FILLER at position 3: invisible"),
        ("HD\u2800360", "U+2800 BRAILLE PATTERN BLANK at position 3: a symbol drawn as a blank"),
    ],
)  # fmt: skip
def test_a_look_alike_or_ignorable_character_that_vizier_folds_is_an_error_through_the_api(
    api, value, message
):
    body = create(api("author"), [{**GOOD_ROW, "ID1": value}])
    errors = [f for f in body["rows"][0]["findings"] if f["severity"] == "error"]
    assert [(f["field"], f["message"][: len(message)]) for f in errors] == [("ID1", message)]


def test_the_micro_sign_of_a_band_in_microns_is_accepted_but_not_in_a_name(api):
    body = create(api("author"), [{**GOOD_ROW, "BAND": "2.2\u00b5m", "ID2": "\u00b5 Cep"}])
    errors = [f for f in body["rows"][0]["findings"] if f["severity"] == "error"]
    assert [(f["field"], f["message"][:55]) for f in errors] == [
        ("ID2", "U+00B5 MICRO SIGN at position 1 (type '\u03bc'): a fullwidth")
    ]


def test_a_correction_with_only_warnings_is_saved_cleaned_and_the_page_shows_them(people):
    published = measurement(notes="short", e_ld_diam=0.014)
    curator = Client()
    curator.force_login(people.curator)
    cells = {
        "ID1": "HD\u00a0360", "LD_DIAM": "0.906", "E_LD_DIAM": "-1", "BAND": "H", "METHOD": "1",
        "BANDCODE": "7", "BIBCODE": "2019Natur.567..200P", "NOTES": "short",
    }  # fmt: skip
    response = curator.post(
        f"/measurement/{published.pk}/correct/", {**cells, "reason": "no error published"},
        follow=True,
    )  # fmt: skip
    page = unescape(response.content.decode())
    assert "Corrected; the change is in the history below." in page
    assert (
        "E_LD_DIAM: -1 is how the old catalogue wrote 'no value': read as empty (leave the cell "
        "empty)."
    ) in page
    assert "ID1: U+00A0 NO-BREAK SPACE at position 3 replaced by a plain space" in page
    published.refresh_from_db()
    assert (published.id1, published.e_ld_diam) == ("HD 360", None)


def test_a_correction_with_an_error_is_still_refused(people):
    published = measurement(notes="short", e_ld_diam=0.014)
    curator = Client()
    curator.force_login(people.curator)
    cells = {
        "ID1": "HD360", "LD_DIAM": "0,906", "E_LD_DIAM": "-1", "BAND": "H", "METHOD": "1",
        "BANDCODE": "7", "BIBCODE": "2019Natur.567..200P", "NOTES": "short",
    }  # fmt: skip
    response = curator.post(f"/measurement/{published.pk}/correct/", {**cells, "reason": "x"})
    assert response.status_code == 200
    assert "LD_DIAM: &#x27;0,906&#x27; uses a decimal comma" in response.content.decode()
    published.refresh_from_db()
    assert published.e_ld_diam == 0.014
