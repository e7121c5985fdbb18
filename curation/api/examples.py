"""The OpenAPI examples of the submissions API (invented people and values), apart from the
serializers and views they illustrate: they are a third of the API's text."""

from drf_spectacular.utils import OpenApiExample

A_SUBMITTED_DRAFT = OpenApiExample(
    "A submitted draft (invented)",
    response_only=True,
    value={
        "id": 12,
        "title": "PIONIER diameters of two giants",
        "author": "ada",
        "group": "VLTI/PIONIER survey",
        "embargo_until": "2027-06-30",
        "state": "submitted",
        "source": "api",
        "created_at": "2026-11-23T09:00:00Z",
        "updated_at": "2026-11-23T09:05:00Z",
        "submitted_at": "2026-11-23T09:05:00Z",
        "decided_at": None,
        "row_count": 2,
        "allowed_actions": ["comment", "withdraw"],
    },
)

A_DRAFT_WITH_A_ROW_PROBLEM = OpenApiExample(
    "A new draft with a row problem (invented)",
    response_only=True,
    value={
        "id": 12,
        "title": "",
        "author": "ada",
        "group": None,
        "embargo_until": None,
        "state": "draft",
        "source": "api",
        "created_at": "2026-11-23T09:00:00Z",
        "updated_at": "2026-11-23T09:00:00Z",
        "submitted_at": None,
        "decided_at": None,
        "row_count": 1,
        "allowed_actions": ["comment", "edit", "submit"],
        "rows": [
            {
                "position": 1,
                "id1": "HD 360",
                "id2": "",
                "ud_diam": None,
                "ld_diam": None,
                "e_ld_diam": 0.014,
                "band": "H",
                "mu_lambda": None,
                "method": 1,
                "bandcode": 7,
                "notes": "",
                "bibcode": "2019Natur.567..200P",
                "sinpe": False,
                "cell_errors": [
                    {
                        "field": "LD_DIAM",
                        "severity": "error",
                        "code": "unreadable",
                        "message": "'0,906' is not a number",
                    }
                ],
                "findings": [
                    {
                        "field": "LD_DIAM",
                        "severity": "error",
                        "code": "unreadable",
                        "message": "'0,906' is not a number",
                    }
                ],
                "measurement": None,
            }
        ],
        "audit": [
            {
                "at": "2026-11-23T09:00:00Z",
                "actor": "ada",
                "action": "create",
                "state_from": "",
                "state_to": "draft",
                "text": "",
            }
        ],
    },
)

TWO_DIAMETERS = OpenApiExample(
    "Two diameters (invented values)",
    request_only=True,
    value={
        "title": "PIONIER diameters of two giants",
        "group": "VLTI/PIONIER survey",
        "embargo_until": "2027-06-30",
        "rows": [
            {
                "ID1": "HD124897",
                "ID2": "alf Boo",
                "UD_DIAM": 19.9,
                "LD_DIAM": 20.91,
                "E_LD_DIAM": 0.07,
                "BAND": "H",
                "METHOD": 1,
                "BANDCODE": 7,
                "BIBCODE": "2008A&A...485..561L",
            },
            {
                "ID1": "HD 360",
                "LD_DIAM": 0.906,
                "E_LD_DIAM": 0.014,
                "BAND": "H",
                "METHOD": 1,
                "BANDCODE": 7,
                "BIBCODE": "2019Natur.567..200P",
            },
        ],
    },
)

A_REASON = OpenApiExample("A reason", value={"reason": "Which band: H or K? Give the filter."})
A_COMMENT = OpenApiExample("A comment", value={"text": "The LD/UD ratio is the authors' own."})
ACCEPT = OpenApiExample("Accept", value={"acknowledge_warnings": True, "comment": "Thanks."})
