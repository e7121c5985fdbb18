"""Through the API: a submitted diameter far from its star's photometric prediction comes back
as a warning naming both values, and the accepting curator must acknowledge it. (The rule's
cases: tests/curation/test_prediction_rule.py.)"""

import pytest

from tests.builders import prediction
from tests.rows import GOOD_ROW

pytestmark = pytest.mark.django_db

FAR_FROM_18 = (
    "LD 20.910 ± 0.070 mas is 13.7 sigma (combined errors) from the photometric prediction "
    "18.000 ± 0.200 mas of JMMC's cross-match (SearchCal), as of 2020-09-09: check the "
    "value, its unit and the star."
)


def test_an_ld_far_from_the_prediction_is_a_warning_naming_both_values_through_the_api(api, people):
    prediction()
    created = api("author").post(
        "/api/v1/submissions/",
        {"title": "alf Boo (invented)", "group": people.group.name, "rows": [GOOD_ROW]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    findings = [f for f in created.json()["rows"][0]["findings"] if f["severity"] == "warning"]
    assert findings == [
        {"field": "LD_DIAM", "severity": "warning", "code": "far_from_prediction",
         "message": FAR_FROM_18}
    ]  # fmt: skip


def test_the_curator_must_acknowledge_it_to_accept(api, people):
    prediction()
    author, curator = api("author"), api("curator")
    pk = author.post(
        "/api/v1/submissions/",
        {"title": "alf Boo (invented)", "group": people.group.name, "rows": [GOOD_ROW]},
        format="json",
    ).json()["id"]
    assert author.post(f"/api/v1/submissions/{pk}/submit/").json()["state"] == "submitted"
    curator.post(f"/api/v1/submissions/{pk}/start_review/")
    refused = curator.post(f"/api/v1/submissions/{pk}/accept/", {}, format="json")
    assert refused.status_code == 400
    assert [(e["row"], e["field"], e["message"]) for e in refused.json()["errors"]] == [
        (1, "LD_DIAM", FAR_FROM_18)
    ]
    accepted = curator.post(
        f"/api/v1/submissions/{pk}/accept/", {"acknowledge_warnings": True}, format="json"
    )
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
