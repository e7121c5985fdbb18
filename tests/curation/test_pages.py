"""The curation pages as astronomers and curators use them."""

import html
import re
from html import unescape

import pytest
from django.core import mail
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone

from curation.models import Submission
from jmdc.models import Measurement
from tests.pages import messages_of
from tests.rows import GOOD, GOOD_ROW, HEADER, form_data


def test_anonymous_visitors_are_sent_to_log_in_before_submitting(client):
    response = client.get("/submissions/new/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_one_diameter_through_the_form_is_saved_as_a_draft_with_its_findings(client, people):
    client.force_login(people.astronomer)
    response = client.post(
        "/submissions/new/", form_data(BIBCODE="1997AJ....112.294D"), follow=True
    )
    submission = Submission.objects.get()
    assert submission.state == "draft" and submission.author == people.astronomer
    html = response.content.decode()
    assert "BIBCODE: &#x27;1997AJ....112.294D&#x27; has 18 characters, a bibcode has 19." in html
    assert "Saved as a draft with 1 error(s) to fix" in messages_of(response)[0]


def test_a_file_is_uploaded_checked_and_submitted_then_accepted_by_a_curator(
    client, people, django_capture_on_commit_callbacks
):
    client.force_login(people.astronomer)
    upload = ("batch.csv", (HEADER + GOOD + GOOD.replace("19.9", "20.1")).encode())
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/submissions/upload/",
        {"file": SimpleUploadedFile(*upload), "title": "alf Boo"},
        follow=True,
    )
    submission = Submission.objects.get()
    assert (submission.rows.count(), submission.file_name, submission.source) == (
        2,
        "batch.csv",
        "upload",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/submissions/{submission.pk}/submit/", follow=True)
    assert "Done: submitted." in messages_of(response)
    assert mail.outbox[-1].to == ["cur@example.org", "man@example.org"]

    curator = Client()
    curator.force_login(people.curator)
    assert f"/submissions/{submission.pk}/" in curator.get("/review/").content.decode()
    curator.post(f"/submissions/{submission.pk}/start_review/")
    response = curator.post(
        f"/submissions/{submission.pk}/accept/",
        {"acknowledge_warnings": "on", "text": "fine"},
        follow=True,
    )
    assert "Done: accepted." in messages_of(response)
    assert Measurement.objects.count() == 2
    assert (
        '"HD124897","alf Boo","20.1"'
        in b"".join(Client().get("/export_csv").streaming_content).decode()
    )


def test_a_refused_upload_says_why_and_saves_nothing(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people.astronomer)
    response = client.post(
        "/submissions/upload/", {"file": SimpleUploadedFile("x.csv", b"STAR,SIZE\nHD1,2\n")}
    )
    assert response.status_code == 200
    assert (
        "x.csv: unknown column(s) &#x27;STAR&#x27;, &#x27;SIZE&#x27;" in response.content.decode()
    )
    assert "Nothing was saved." in response.content.decode()
    assert not Submission.objects.exists()


def test_a_curator_accepting_with_unread_warnings_is_told_which(client, people):
    from curation import services
    from tests.rows import row

    draft = services.create_submission(actor=people.astronomer, rows=[row(BANDCODE="7")])
    client.force_login(people.astronomer)
    client.post(f"/submissions/{draft.pk}/submit/")
    curator = Client()
    curator.force_login(people.curator)
    curator.post(f"/submissions/{draft.pk}/start_review/", follow=True)
    response = curator.post(f"/submissions/{draft.pk}/accept/", follow=True)
    texts = messages_of(response)
    assert "1 warning(s) need your acknowledgement." in texts[0]
    assert any("row 2, column" in t for t in texts[1:])
    assert Submission.objects.get(pk=draft.pk).state == "in_review"


def test_an_outsider_gets_404_for_every_page_and_action_of_a_submission(client, people, draft):
    client.force_login(people.outsider)
    assert client.get(f"/submissions/{draft.pk}/").status_code == 404
    assert client.post(f"/submissions/{draft.pk}/submit/").status_code == 404
    assert Submission.objects.get(pk=draft.pk).state == "draft"


def test_posting_without_the_csrf_token_is_refused(people, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.astronomer)
    assert client.post(f"/submissions/{draft.pk}/submit/").status_code == 403
    assert Submission.objects.get(pk=draft.pk).state == "draft"


def test_the_review_queue_is_for_curators_only(client, people):
    client.force_login(people.astronomer)
    assert client.get("/review/").status_code == 403


def test_templates_download_with_the_export_columns(client):
    response = client.get("/submissions/template.csv")
    assert response.content.decode().strip() == ",".join(GOOD_ROW)
    response = client.get("/submissions/template.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_an_astronomer_signs_up_and_can_submit(client, db):
    response = client.post("/accounts/signup/", {
        "username": "newcomer", "email": "new@example.org",
        "password1": "a long and unusual passphrase", "password2": "a long and unusual passphrase",
    }, follow=True)  # fmt: skip
    assert response.redirect_chain[-1][0] == "/submissions/"
    assert client.get("/submissions/new/").status_code == 200


def test_a_forgotten_password_is_reset_through_an_emailed_link(
    client, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail is queued on commit
        client.post("/accounts/password_reset/", {"email": "ada@example.org"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body)[1]
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "another long passphrase", "new_password2": "another long passphrase"},
    )
    # request=: the login protection (django-axes) counts attempts per request's address
    assert Client().login(request=HttpRequest(), username="ada", password="another long passphrase")


def test_a_curator_corrects_a_measurement_from_its_page_and_the_history_shows_it(client, people):
    from tests.builders import measurement

    row = measurement(id1="HD187076J")
    client.force_login(people.curator)
    page = client.get(f"/measurement/{row.pk}/")
    assert f"/measurement/{row.pk}/correct/" in page.content.decode()
    data = {"ID1": "HD187076", "LD_DIAM": "0.906", "E_LD_DIAM": "0.014", "BAND": "H", "METHOD": "1",
            "BANDCODE": "7", "BIBCODE": "2019Natur.567..200P", "reason": "J was a typo"}  # fmt: skip
    response = client.post(f"/measurement/{row.pk}/correct/", data, follow=True)
    html = response.content.decode()
    assert "id1: HD187076J → HD187076" in html and "J was a typo" in html


@pytest.mark.parametrize("url", ["/submissions/", "/review/"])
def test_pages_render_for_a_curator(client, people, draft, url):
    client.force_login(people.curator)
    assert client.get(url).status_code == 200


def test_an_author_fixes_one_row_of_a_draft_and_its_findings_are_recomputed(client, people):
    from curation import services
    from tests.rows import row

    draft = services.create_submission(actor=people.astronomer, rows=[row(2, UD_DIAM="1,5")])
    assert draft.rows.get().errors
    client.force_login(people.colleague)  # the draft is not shared with a group: 404 for others
    assert client.get(f"/submissions/{draft.pk}/rows/2/").status_code == 404
    client.force_login(people.astronomer)
    response = client.post(
        f"/submissions/{draft.pk}/rows/2/", form_data(UD_DIAM="19.9"), follow=True
    )
    assert "Row 2 saved and checked again." in messages_of(response)
    stored = draft.rows.get()
    assert (stored.ud_diam, stored.errors) == (19.9, [])
    assert draft.audit.filter(action="edit").get().changes["ud_diam"] == [None, 19.9]


def test_an_oversized_upload_is_refused_from_its_length_before_it_is_read(client, people, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.SUBMISSION_UPLOAD_MAX_BYTES = 10_000
    client.force_login(people.astronomer)
    big = SimpleUploadedFile("big.csv", (HEADER + GOOD * 2000).encode())
    response = client.post("/submissions/upload/", {"file": big})
    assert response.status_code == 413
    assert (
        "larger than the limit of 0.0 MB: split it into smaller files. Nothing was saved."
        in response.content.decode()
    )
    assert not Submission.objects.exists()


def test_a_curator_picks_the_simbad_object_of_an_ambiguous_name_and_it_is_audited(
    client, people, simbad
):
    from curation.models import AuditEntry
    from jmdc.models import Star
    from standins.simbad import StandInObject

    # TEST DATA: two objects answering to one name, and the identifier of one of them
    simbad.add(StandInObject("TEST twin A", 1.0, 1.0, identifiers=("twin", "HD 1001")))
    simbad.add(StandInObject("TEST twin B", 1.1, 1.1, identifiers=("twin", "HD 1002")))
    star = Star.objects.create(
        name="twin",
        status="ambiguous",
        candidates=[{"main_id": "TEST twin A"}, {"main_id": "TEST twin B"}],
    )
    client.force_login(people.curator)
    page = client.get("/review/stars/").content.decode()
    assert "TEST twin A" in page and "TEST twin B" in page
    response = client.post(
        "/review/stars/",
        {"star": star.pk, "identifier": "HD 1002", "reason": "B is the giant", "identify": "1"},
        follow=True,
    )
    # A worker asks SIMBAD (eagerly here); the page lists the outcome.
    assert messages_of(response) == [
        "SIMBAD is asked about 'HD 1002' for twin: the answer appears under Identified by hand."
    ]
    text = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    assert "cur: twin as “HD 1002”: now TEST twin B (B is the giant)" in text
    star.refresh_from_db()
    assert (star.status, star.simbad_id1) == ("resolved", "HD1002")
    entry = AuditEntry.objects.get(action="identify")
    assert (entry.actor, entry.star, entry.text) == (people.curator, star, "B is the giant")


def test_picking_a_name_that_is_itself_ambiguous_is_refused_with_the_candidates(
    client, people, simbad
):
    from jmdc.models import Star
    from standins.simbad import StandInObject

    simbad.add(StandInObject("TEST twin A", 1.0, 1.0, identifiers=("twin",)))
    simbad.add(StandInObject("TEST twin B", 1.1, 1.1, identifiers=("twin",)))
    star = Star.objects.create(name="twin", status="ambiguous")
    client.force_login(people.curator)
    response = client.post(
        "/review/stars/", {"star": star.pk, "identifier": "twin", "identify": "1"}, follow=True
    )
    text = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()))
    assert (
        "cur: twin as “twin”: refused: SIMBAD finds TEST twin A, TEST twin B for 'twin': "
        "give an identifier of exactly one object." in text
    )
    star = Star.objects.get(pk=star.pk)
    assert star.status == "ambiguous"
    assert star.identification.code == "ambiguous"  # nothing left queued or asking


def test_the_identifier_page_is_for_curators_only(client, people):
    client.force_login(people.astronomer)
    assert client.get("/review/stars/").status_code == 403


def test_a_submitted_page_follows_simbads_identification_of_its_names(
    client, people, django_capture_on_commit_callbacks
):
    from curation import services
    from jmdc.models import Star
    from tests.rows import row

    submission = services.create_submission(
        actor=people.astronomer, rows=[row(2), row(3, ID1="HD 999999")], title="two stars"
    )
    client.force_login(people.astronomer)
    page = client.get(submission.get_absolute_url()).content.decode()
    assert "identification.json" not in page  # a draft's names are not asked yet

    with django_capture_on_commit_callbacks(execute=True):  # the task runs (eagerly)
        services.submit(submission, actor=people.astronomer)  # SIMBAD is unreachable in tests
    status_url = f"/submissions/{submission.pk}/identification.json"
    page = client.get(submission.get_absolute_url()).content.decode()
    # Nothing is under way (SIMBAD failed; the next try is later): no progress bar, the times.
    assert "data-progress-url" not in page and "<progress" not in page
    assert "The portal tries again by itself." in page
    state = client.get(status_url).json()
    assert state["percent"] == 0 and state["finished"] is False
    # Each name says what the portal does about it, with the time of the next try.
    assert re.fullmatch(
        r"0 of 2 names identified by SIMBAD; "
        r"HD 999999 \(SIMBAD unreachable \(no connection\); next try at [-\d: ]+ UTC\); "
        r"HD124897 \(SIMBAD unreachable \(no connection\); next try at [-\d: ]+ UTC\)",
        state["stage"],
    ), state["stage"]

    # Pending again with no task queued (as after a broker outage): the sweep's turn.
    Star.objects.filter(name__in=["HD124897", "HD 999999"]).update(status=Star.Status.PENDING)
    assert client.get(status_url).json() == {
        "percent": 0, "finished": False,
        "stage": "0 of 2 names identified by SIMBAD; "
        "HD 999999 (queued: next try at the next sweep (every 10 minutes)); "
        "HD124897 (queued: next try at the next sweep (every 10 minutes))",
    }  # fmt: skip

    # A worker has it in hand: the page follows it with a progress bar.
    Star.objects.filter(name="HD 999999").update(queued_at=timezone.now())
    page = client.get(submission.get_absolute_url()).content.decode()
    assert f'data-progress-url="{status_url}"' in page
    Star.objects.filter(name="HD 999999").update(queued_at=None)

    Star.objects.filter(name="HD124897").update(status=Star.Status.RESOLVED, main_id="* alf Boo")
    assert client.get(status_url).json()["percent"] == 50
    Star.objects.filter(name="HD 999999").update(status=Star.Status.NOT_FOUND)
    assert client.get(status_url).json() == {
        "percent": 100, "stage": "1 of 2 names identified by SIMBAD", "finished": True,
    }  # fmt: skip
    page = client.get(submission.get_absolute_url()).content.decode()
    assert "data-progress-url" not in page
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert (
        "1 of 2 names identified by SIMBAD. Not settled: HD 999999 (not found in SIMBAD); a curator will name them."
        in text
    )

    client.force_login(people.outsider)
    assert client.get(status_url).status_code == 404


def test_an_identification_by_hand_while_simbad_is_down_is_listed_as_refused(client, people):
    from jmdc.models import Star

    star = Star.objects.create(name="twin", status="ambiguous")
    client.force_login(people.curator)
    response = client.post(
        "/review/stars/", {"star": star.pk, "identifier": "HD 1002", "identify": "1"}, follow=True
    )  # SIMBAD is a closed port in the suite
    text = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()))
    assert "cur: twin as “HD 1002”: refused: SIMBAD could not be asked (" in text
    assert "try again later." in text
    assert Star.objects.get(pk=star.pk).identification.code == "ambiguous"


def test_a_mac_file_with_cr_line_endings_and_a_cell_too_long_is_refused_naming_it(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    header = "ID1,ID2,UD_DIAM,LD_DIAM,E_LD_DIAM,BAND,MU_LAMBDA,METHOD,BANDCODE,NOTES,BIBCODE,SINPE"
    good = "HD124897,alf Boo,19.9,20.91,0.07,K,,1,8,,2008A&A...485..561L,"
    long = good.replace(",,2008", ',"' + "x" * 140_000 + '",2008')
    data = "\r".join([header, good, long, good]).encode()
    client.force_login(people.astronomer)
    response = client.post("/submissions/upload/", {"file": SimpleUploadedFile("mac.csv", data)})
    assert response.status_code == 200
    assert (
        "mac.csv: row 3, column NOTES: the cell is longer than 131072 characters (a quote left "
        "open?): check it."
    ) in unescape(response.content.decode())
    assert not Submission.objects.exists()


def test_a_semicolon_file_with_cr_line_endings_is_read_by_its_first_line(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    header = "ID1;ID2;UD_DIAM;LD_DIAM;E_LD_DIAM;BAND;MU_LAMBDA;METHOD;BANDCODE;NOTES;BIBCODE;SINPE"
    good = "HD124897;alf Boo;19.9;20.91;0.07;K;;1;8;{};2008A&A...485..561L;"
    notes = ", ".join("abcdefghijklmnopqrstuvwxyz")  # more commas in the file than ;
    data = "\r".join([header, good.format(notes), good.format(notes)]).encode()
    client.force_login(people.astronomer)
    response = client.post(
        "/submissions/upload/", {"file": SimpleUploadedFile("mac.csv", data)}, follow=True
    )
    assert response.status_code == 200
    rows = Submission.objects.get().rows.order_by("position")
    assert [(row.position, row.notes) for row in rows] == [(2, notes), (3, notes)]


def test_the_rows_finding_and_the_identification_line_use_the_same_words(
    client, people, django_capture_on_commit_callbacks
):
    from curation import services
    from jmdc.models import Star
    from tests.rows import row

    submission = services.create_submission(actor=people.astronomer, rows=[row(2, ID1="HD 9")])
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(submission, actor=people.astronomer)  # SIMBAD is unreachable here
    client.force_login(people.astronomer)
    text = " ".join(
        re.sub(r"<[^>]+>", " ", client.get(submission.get_absolute_url()).content.decode()).split()
    )
    assert "HD 9 (SIMBAD unreachable (no connection); next try at" in text
    assert "SIMBAD unreachable: the portal asks again by itself" in text
    Star.objects.filter(name="HD 9").update(status="not_found")
    rows = list(submission.rows.all())
    services.refresh_findings(rows)  # as the identification task does when SIMBAD answers
    for stored in rows:
        stored.save(update_fields=["findings"])
    text = " ".join(
        re.sub(r"<[^>]+>", " ", client.get(submission.get_absolute_url()).content.decode()).split()
    )
    assert "Not settled: HD 9 (not found in SIMBAD)" in text
    assert "not found in SIMBAD: check the name" in text


def test_the_unresolved_identifiers_are_shown_a_hundred_a_page(client, people):
    from jmdc.models import Star

    for i in range(130):  # invented names SIMBAD did not find
        Star.objects.create(name=f"TEST{i:03d}", status="not_found", attempts=1)
    client.force_login(people.curator)
    first = client.get("/review/stars/").content.decode()
    assert first.count('name="star"') == 100
    assert "130 identifiers, 1–100 shown (page 1 of 2)." in first
    assert "TEST099" in first and "TEST100" not in first
    second = client.get("/review/stars/?page=2").content.decode()
    assert second.count('name="star"') == 30
    assert "TEST100" in second and "TEST129" in second
    # The buttons act on the page shown, and bring the curator back to it.
    star = Star.objects.get(name="TEST120")
    response = client.post("/review/stars/?page=2", {"star": star.pk, "retry": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/review/stars/?page=2"
