"""An API user reading the schema finds how to attach OIFITS to a created draft's row: the create
operation says where, and the per-row operation shows its answers."""

import json


def schema(client) -> dict:
    return json.loads(client.get("/api/schema/?format=json").content)


def test_the_create_operation_says_how_to_attach_oifits_to_a_row(client, db):
    paths = schema(client)["paths"]
    create = paths["/api/v1/submissions/"]["post"]["description"]
    assert "/api/v1/submissions/12/rows/1/oifits/" in create
    assert "-F files=@night1.oifits -F files=@night2.oifits" in create
    assert "`GET` the\nsame address until `state` is `fitted`" in create


def test_the_row_oifits_operations_show_a_queued_and_a_fitted_file(client, db):
    operation = schema(client)["paths"]["/api/v1/submissions/{id}/rows/{position}/oifits/"]
    posted = operation["post"]["responses"]["201"]["content"]["application/json"]["examples"]
    (attached,) = posted.values()
    assert attached["value"][0]["state"] == "queued"
    got = operation["get"]["responses"]["200"]["content"]["application/json"]["examples"]
    (fitted,) = got.values()
    fit = fitted["value"][0]["fit"]
    assert fit["uniform"]["diameter"] == 1.711 and fit["limb_darkened"]["mu"] == 0.25
    assert "multipart/form-data" in operation["post"]["requestBody"]["content"]
