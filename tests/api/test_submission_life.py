"""A whole submission life through the API only: create with a bad cell, read the findings,
fix the rows, submit, review, changes, accept; then the rows are in the catalogue."""

import pytest

from curation import services
from curation.models import AuditEntry, Submission
from tests.rows import GOOD_ROW

pytestmark = pytest.mark.django_db


def test_a_submission_from_draft_to_catalogue(api, people):
    author, curator = api("author"), api("curator")
    bad = {**GOOD_ROW, "UD_DIAM": "nineteen", "ID1": "TEST STAR"}
    created = author.post(
        "/api/v1/submissions/",
        {"title": "Two diameters (invented)", "group": people.group.name, "rows": [GOOD_ROW, bad]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    pk = body["id"]
    assert (body["state"], body["source"], body["row_count"]) == ("draft", "api", 2)
    findings = body["rows"][1]["findings"]
    assert any(f["field"] == "UD_DIAM" and f["severity"] == "error" for f in findings)

    # Submitting with an error: refused, naming the row and the column.
    refused = author.post(f"/api/v1/submissions/{pk}/submit/")
    assert refused.status_code == 400
    problem = refused.json()
    assert problem["code"] == "row_problems"
    assert {"row": 2, "field": "UD_DIAM"}.items() <= problem["errors"][0].items()

    fixed = author.put(
        f"/api/v1/submissions/{pk}/rows/",
        {"rows": [GOOD_ROW, {**bad, "UD_DIAM": 1.234}]},
        format="json",
    )
    assert fixed.status_code == 200 and fixed.json()["rows"][1]["ud_diam"] == 1.234
    assert author.post(f"/api/v1/submissions/{pk}/submit/").json()["state"] == "submitted"

    # The author polls; a colleague of the group sees it too; an outsider does not.
    assert author.get(f"/api/v1/submissions/{pk}/").json()["state"] == "submitted"
    assert api("colleague").get(f"/api/v1/submissions/{pk}/").status_code == 200
    assert api("outsider").get(f"/api/v1/submissions/{pk}/").status_code == 404
    assert [s["id"] for s in api("outsider").get("/api/v1/submissions/").json()["results"]] == []

    curator.post(f"/api/v1/submissions/{pk}/start_review/")
    asked = curator.post(
        f"/api/v1/submissions/{pk}/request_changes/", {"reason": ""}, format="json"
    )
    assert asked.status_code == 400 and asked.json()["errors"][0]["field"] == "reason"
    asked = curator.post(
        f"/api/v1/submissions/{pk}/request_changes/", {"reason": "Which band?"}, format="json"
    )
    assert asked.json()["state"] == "changes_requested"
    author.put(f"/api/v1/submissions/{pk}/rows/",
               {"rows": [GOOD_ROW, {**bad, "UD_DIAM": 1.234, "BAND": "H"}]}, format="json")  # fmt: skip
    author.post(f"/api/v1/submissions/{pk}/submit/")
    curator.post(f"/api/v1/submissions/{pk}/start_review/")
    accepted = curator.post(
        f"/api/v1/submissions/{pk}/accept/", {"acknowledge_warnings": True}, format="json"
    )
    assert accepted.status_code == 200, accepted.json()
    final = accepted.json()
    assert final["state"] == "accepted"
    assert all(row["measurement"] for row in final["rows"])
    assert [entry["action"] for entry in final["audit"]] == [
        "create", "edit", "submit", "start_review", "request_changes", "edit", "submit",
        "start_review", "accept",
    ]  # fmt: skip

    # Published under the group's name, visible to the author through the catalogue endpoint.
    found = author.get("/api/v1/measurements/", {"identifier": "TEST STAR"}).json()
    assert [m["ud_diam"] for m in found["results"]] == [1.234]


def test_bad_requests_name_the_field_and_the_row(api, people):
    author = api("author")
    response = author.post(
        "/api/v1/submissions/", {"rows": [GOOD_ROW, {"ID1": "x", "DIAMETER": 3}]}, format="json"
    )
    body = response.json()
    assert response.status_code == 400 and body["code"] == "invalid"
    assert body["errors"] == [
        {"field": "rows[1]", "code": "invalid", "row": 2,
         "message": body["errors"][0]["message"]}
    ]  # fmt: skip
    assert "unknown column(s) DIAMETER" in body["errors"][0]["message"]
    empty = author.post("/api/v1/submissions/", {"rows": []}, format="json").json()
    assert empty["errors"][0]["field"] == "rows"
    group = author.post(
        "/api/v1/submissions/", {"rows": [GOOD_ROW], "group": "not mine"}, format="json"
    ).json()
    assert group["errors"] == [
        {"field": "group", "code": "invalid",
         "message": "You are not in a collaboration group named 'not mine' "
                    "(your groups: 'VLTI/PIONIER survey')."}
    ]  # fmt: skip
    hostile = author.post(
        "/api/v1/submissions/", {"title": "<script>x</script>", "rows": [GOOD_ROW]}, format="json"
    )
    assert hostile.status_code == 201
    page_client = __import__("django.test", fromlist=["Client"]).Client()
    page_client.force_login(people.astronomer)
    page = page_client.get(f"/submissions/{hostile.json()['id']}/").content.decode()
    assert "<script>x</script>" not in page


def test_a_body_too_large_is_a_413_saying_what_to_do(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2**20
    rows = [dict(GOOD_ROW, NOTES="x" * 200) for _ in range(5000)]
    response = api("author").post("/api/v1/submissions/", {"rows": rows}, format="json")
    assert response.status_code == 413
    assert response.json()["message"].startswith("The request body is larger than 1 MB")


def test_a_curator_of_the_group_who_rewrote_the_rows_is_refused_the_decision(api, people):
    from django.contrib.auth.models import Group
    from rest_framework.test import APIClient

    from accounts.models import ApiToken

    people.curator.groups.add(people.group)  # a curator who is also in the author's group
    author, curator = api("author"), api("curator")
    pk = author.post(
        "/api/v1/submissions/", {"group": people.group.name, "rows": [GOOD_ROW]}, format="json"
    ).json()["id"]
    author.post(f"/api/v1/submissions/{pk}/submit/")
    curator.post(f"/api/v1/submissions/{pk}/start_review/")
    curator.post(f"/api/v1/submissions/{pk}/request_changes/", {"reason": "K?"}, format="json")
    rewritten = curator.put(
        f"/api/v1/submissions/{pk}/rows/", {"rows": [{**GOOD_ROW, "UD_DIAM": 25}]}, format="json"
    )
    assert rewritten.status_code == 200
    curator.post(f"/api/v1/submissions/{pk}/submit/")
    reviewing = curator.post(f"/api/v1/submissions/{pk}/start_review/").json()
    assert reviewing["allowed_actions"] == ["comment", "request_changes"]

    refused = curator.post(
        f"/api/v1/submissions/{pk}/accept/", {"acknowledge_warnings": True}, format="json"
    )
    assert refused.status_code == 403
    assert refused.json()["message"] == (
        f"You may not do this (accepted) on submission {pk}. You wrote or edited its current "
        "rows: another curator accepts or rejects it, so that someone else has reviewed the "
        "values before they are published."
    )
    assert (
        curator.post(
            f"/api/v1/submissions/{pk}/reject/", {"reason": "no"}, format="json"
        ).status_code
        == 403
    )
    assert author.get(f"/api/v1/submissions/{pk}/").json()["state"] == "in_review"

    other = APIClient()  # the manager, who wrote nothing, decides
    other.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(people.manager, 't')[1]}")
    assert Group.objects.get(name="managers") in people.manager.groups.all()
    accepted = other.post(
        f"/api/v1/submissions/{pk}/accept/", {"acknowledge_warnings": True}, format="json"
    )
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"


def test_the_api_refuses_a_title_with_a_line_break_naming_the_field(api, people):
    response = api("author").post(
        "/api/v1/submissions/", {"title": "one\ntwo", "rows": [GOOD_ROW]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "title",
            "code": "invalid",
            "message": "A title is one line: remove a line break (character 4).",
        }
    ]
    assert not Submission.objects.exists()


def test_a_reason_longer_than_the_limit_is_a_400_naming_the_field(api, people, draft, settings):
    settings.FREE_TEXT_MAX_CHARS = 5000
    services.submit(draft, actor=people.astronomer)
    curator = api("curator")
    curator.post(f"/api/v1/submissions/{draft.pk}/start_review/")
    for action, field in [("request_changes", "reason"), ("reject", "reason")]:
        response = curator.post(
            f"/api/v1/submissions/{draft.pk}/{action}/", {field: "x" * 5001}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["errors"][0] == {
            "field": field,
            "code": "invalid",
            "message": "Write at most 5000 characters (this text has 5001).",
        }
    for action, field in [("comment", "text"), ("accept", "comment")]:
        response = curator.post(
            f"/api/v1/submissions/{draft.pk}/{action}/", {field: "y" * 5001}, format="json"
        )
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == field
    assert Submission.objects.get(pk=draft.pk).state == "in_review"


@pytest.mark.parametrize("name", ["VLTI/PIONIER survey", "curators", "no such group"])
def test_an_unknown_group_and_another_groups_name_get_the_same_answer(api, people, name):
    """Group names cannot be enumerated (issue 14, defect 8): same status, same words."""
    response = api("outsider").post(
        "/api/v1/submissions/", {"rows": [GOOD_ROW], "group": name}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["message"] == (
        f"The request is not valid: group: You are not in a collaboration group named {name!r} "
        "(your groups: none)."
    )
    assert not Submission.objects.exists()


def test_more_rows_than_the_setting_allows_is_a_400_saying_to_split_them(api, settings):
    settings.SUBMISSION_MAX_ROWS = 3
    response = api("author").post("/api/v1/submissions/", {"rows": [GOOD_ROW] * 4}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "rows", "code": "invalid",
         "message": "4 rows: a submission has at most 3; split them into several submissions."}
    ]  # fmt: skip


def test_a_title_longer_than_200_characters_is_a_400_naming_the_field(api, people):
    response = api("author").post(
        "/api/v1/submissions/", {"title": "t" * 201, "rows": [GOOD_ROW]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "title", "code": "invalid",
         "message": "A title has at most 200 characters (this one has 201)."}
    ]  # fmt: skip


def test_a_comment_or_reason_with_invisible_or_control_characters_is_a_400_naming_them(
    api,
    people,
    draft,
):
    services.submit(draft, actor=people.astronomer)
    curator = api("curator")
    curator.post(f"/api/v1/submissions/{draft.pk}/start_review/")
    cases = [
        ("comment", "text", "Checked\u200b against the paper", "The comment holds invisible "
         "characters: U+200B ZERO WIDTH SPACE at position 8."),
        ("request_changes", "reason", "Fix the band\nthen\x07 resubmit", "The reason holds line "
         "2: control characters: U+0007 ALERT at position 5."),
        ("reject", "reason", "Wrong\tstar", "The reason holds control characters: U+0009 "
         "CHARACTER TABULATION at position 6."),
        ("accept", "comment", "Thanks\u202e", "The comment holds invisible characters: U+202E "
         "RIGHT-TO-LEFT OVERRIDE at position 7."),
    ]  # fmt: skip
    for action, field, text, message in cases:
        response = curator.post(
            f"/api/v1/submissions/{draft.pk}/{action}/", {field: text}, format="json"
        )
        assert response.status_code == 400, action
        assert response.json()["errors"][0] == {
            "field": field,
            "code": "invalid",
            "message": f"{message} Remove them and send it again (line breaks are kept).",
        }
    assert Submission.objects.get(pk=draft.pk).state == "in_review"
    assert not AuditEntry.objects.filter(action="comment").exists()
    kept = curator.post(
        f"/api/v1/submissions/{draft.pk}/comment/", {"text": "one\r\ntwo"}, format="json"
    )
    assert kept.status_code in (200, 201), kept.json()
    assert AuditEntry.objects.get(action="comment").text == "one\ntwo"
