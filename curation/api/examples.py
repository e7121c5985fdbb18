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

# How a script attaches a row's OIFITS once its draft exists: the per-row endpoint, which a
# reader of the create operation would not otherwise find. Invented ids; the fit is Achernar's
# real PIONIER night of ../shared/oifits, rounded.
ATTACH_OIFITS_HOW = """Rows are numbered by `position` in the created draft's `rows` (1, 2, ...).
To give a row the OIFITS data its diameter was measured from, send them to its own address once
the draft exists, the field `files` repeated for several files (fitted together):

```sh
curl -H "Authorization: Token $JMDC_TOKEN" \\
     -F files=@night1.oifits -F files=@night2.oifits \\
     https://jmdc.example.org/api/v1/submissions/12/rows/1/oifits/
```

The answer (201) lists the attached files, each `queued`; a worker fits them (seconds): `GET` the
same address until `state` is `fitted` (or `failed`, with `error`), then the submission's rows
carry the comparison among their `findings` (codes `oifits_consistent`, `oifits_far`,
`oifits_not_a_disc`, `oifits_target`). A file over the size limit or that is not OIFITS is a 400
naming it and its problems, and nothing is attached. Files are attached while the draft may be
edited (draft, changes requested)."""

_FIT = {
    "files": ["night1.oifits"],
    "targets": ["ACHERNAR"],
    "uniform": {
        "model": "uniform disc", "diameter": 1.711, "error": 0.009, "error_scaled": True,
        "reduced_chi2": 8.74, "points": 162, "wavelength_min": 1.59, "wavelength_max": 1.768,
        "mu": None, "mu_is_default": False,
    },
    "limb_darkened": {
        "model": "limb-darkened disc", "diameter": 1.745, "error": 0.009, "error_scaled": True,
        "reduced_chi2": 8.69, "points": 162, "wavelength_min": 1.59, "wavelength_max": 1.768,
        "mu": 0.25, "mu_is_default": False,
    },
}  # fmt: skip

# drf-spectacular wraps the example of a list answer (many=True) in the list itself: one file.
AN_ATTACHED_FILE = OpenApiExample(
    "A file just attached (invented ids)",
    response_only=True,
    status_codes=["201"],
    value={
            "id": 31, "name": "night1.oifits", "size": 48960, "sha256": "81333496de779916" + "0" * 48,
            "revision": 1, "problems": [], "state": "queued", "progress": 0, "fit": None,
            "error": "", "uploaded_at": "2026-11-23T09:01:00Z",
            "download": "https://jmdc.example.org/oifits/31/download/",
    },
)  # fmt: skip

A_FITTED_FILE = OpenApiExample(
    "The same file once fitted (Achernar's PIONIER data)",
    response_only=True,
    status_codes=["200"],
    value={
            "id": 31, "name": "night1.oifits", "size": 48960, "sha256": "81333496de779916" + "0" * 48,
            "revision": 1,
            "problems": [
                {
                    "table": "OI_T3 (HDU 5, EXTVER 1, INSNAME PIONIER_Pnat(1.5900000/1.7679999))",
                    "column": "T3PHI", "row": None,
                    "message": "has no unit (TUNIT); the standard fixes deg: read as deg.",
                    "text": "night1.oifits, OI_T3 (HDU 5, EXTVER 1, INSNAME "
                    "PIONIER_Pnat(1.5900000/1.7679999)), column T3PHI: has no unit (TUNIT); the "
                    "standard fixes deg: read as deg.",
                }
            ],
            "state": "fitted", "progress": 100, "fit": _FIT, "error": "",
            "uploaded_at": "2026-11-23T09:01:00Z",
            "download": "https://jmdc.example.org/oifits/31/download/",
    },
)  # fmt: skip
