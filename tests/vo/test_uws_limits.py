"""What one caller may keep of TAP's async jobs, and what their parameters may hold: kept
jobs and stored result bytes capped per owner (per address when anonymous), an aborted job
whose query still runs counted against the quota, control characters refused at the door
and dropped from the documents anyway."""

import pytest
from lxml import etree

from vo.uws.models import Job, JobResult

pytestmark = pytest.mark.postgresql
QUERY = {"LANG": "ADQL", "QUERY": "SELECT TOP 3 table_name FROM TAP_SCHEMA.tables"}
UWS = {"uws": "http://www.ivoa.net/xml/UWS/v1.0"}


def create(client, **params):
    return client.post("/tap/async", {**QUERY, **params})


def test_finished_jobs_count_toward_the_jobs_one_may_keep_until_deleted(client, people, settings):
    settings.TAP_JOBS_PER_OWNER = 2
    client.force_login(people.astronomer)
    first = create(client, PHASE="RUN")["Location"]
    create(client, PHASE="RUN")
    assert set(Job.objects.values_list("phase", flat=True)) == {"COMPLETED"}
    refused = create(client)
    assert refused.status_code == 403
    assert refused["Content-Type"].startswith("application/x-votable+xml")
    assert (
        b"You keep 2 TAP jobs, finished ones included, the most one may keep: DELETE old jobs "
        b"(DELETE /tap/async/&lt;job id&gt;; the list is GET /tap/async), then submit again."
    ) in refused.content
    client.delete(first)
    assert create(client).status_code == 303


def test_stored_result_bytes_count_toward_what_an_address_may_keep(client, db, settings):
    settings.TAP_RESULT_BYTES_PER_OWNER = 1000
    create(client, PHASE="RUN")
    stored = JobResult.objects.get()
    stored.content = b"x" * 1500  # as a big result would be
    stored.save()
    refused = create(client)
    assert refused.status_code == 403
    assert b"Your address keeps 0.0 MB of TAP results, the most one may keep is 0.001 MB" in (
        refused.content
    )
    assert client.post("/tap/async", QUERY, REMOTE_ADDR="192.0.2.8").status_code == 303


def test_an_aborted_job_whose_query_still_runs_counts_against_the_quota(client, db, settings):
    settings.TAP_ASYNC_JOBS_PER_USER = 1
    path = create(client)["Location"]
    job = Job.objects.get()
    # As the worker leaves it while its query runs on after an ABORT, until it notices.
    Job.objects.filter(pk=job.pk).update(phase=Job.Phase.ABORTED, backend_pid=4242)
    assert create(client).status_code == 403
    Job.objects.filter(pk=job.pk).update(backend_pid=None)
    assert create(client).status_code == 303, path


@pytest.mark.parametrize(
    ("params", "named"),
    [({"QUERY": "SELECT 1\x00"}, "QUERY"), ({"RUNID": "run\x01"}, "RUNID"),
     ({"FORMAT": "votable\x02"}, "FORMAT")],
)  # fmt: skip
def test_a_control_character_in_a_parameter_is_refused_naming_it(client, db, params, named):
    refused = create(client, **params)
    assert refused.status_code == 400
    assert f"The parameter {named} holds a control character".encode() in refused.content
    assert not Job.objects.exists()
    path = create(client)["Location"]
    changed = client.post(path + "/parameters", params)
    assert changed.status_code == 400
    assert f"The parameter {named} holds a control character".encode() in changed.content


def test_a_job_stored_with_control_characters_still_gives_well_formed_documents(client, db):
    path = create(client, RUNID="mine").get("Location")
    Job.objects.update(run_id="run\x01", parameters={"QUERY": "SELECT\x02 1", "X\x03": "y"})
    listing = etree.fromstring(client.get("/tap/async").content)  # raised before: not XML
    assert listing.findtext("uws:jobref/uws:runId", namespaces=UWS) == "run"
    document = etree.fromstring(client.get(path).content)
    assert document.findtext("uws:runId", namespaces=UWS) == "run"
    parameters = etree.fromstring(client.get(path + "/parameters").content)
    assert {p.get("id"): p.text for p in parameters.findall("uws:parameter", UWS)} == {
        "QUERY": "SELECT 1",
        "X": "y",
    }
