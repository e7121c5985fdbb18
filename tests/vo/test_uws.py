"""TAP's async jobs as a UWS 1.1 client sees them: the job list, a job's documents and its
phases, who may reach a job, destruction, quotas, parameters the service does not know.

TAP runs on PostgreSQL only (its tables are PostgreSQL views), so these tests do too; on
SQLite every resource answers that in a VOTable error (the last test). Tasks run eagerly in
the test process (tests/conftest.py): a job started here has run when the request returns.
"""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree

from accounts.models import ApiToken
from tests.broker import BROKER_DOWN, broker_at
from tests.parts import missing_part
from vo.uws import jobs as service
from vo.uws.models import Job, JobResult

UWS = {"uws": "http://www.ivoa.net/xml/UWS/v1.0", "xlink": "http://www.w3.org/1999/xlink"}
STILTS_JAR = Path("/usr/share/java/starlink-ttools.jar")  # Debian's stilts package (.ci/run)
QUERY = "SELECT TOP 3 table_name FROM TAP_SCHEMA.tables"

pytestmark = pytest.mark.postgresql


@pytest.fixture(scope="module")
def uws_schema(tmp_path_factory):
    """The IVOA's UWS 1.1 schema, as STILTS' taplint ships it (with the XLink schema it
    imports, made local so that validating reaches no network)."""
    if not STILTS_JAR.exists():
        missing_part(f"{STILTS_JAR} is absent: install Debian's stilts for the UWS schema")
    folder = tmp_path_factory.mktemp("uws-schema")
    imports = {
        "UWS-v1.1.xsd": "http://www.ivoa.net/xml/Xlink/xlink.xsd",
        "xlink.xsd": "http://www.w3.org/2001/xml.xsd",
        "xmlnamespace.xsd": None,
    }
    local = {"UWS-v1.1.xsd": "xlink.xsd", "xlink.xsd": "xmlnamespace.xsd"}
    with zipfile.ZipFile(STILTS_JAR) as jar:
        for name, remote in imports.items():
            text = jar.read(f"uk/ac/starlink/ttools/taplint/{name}").decode()
            if remote:
                text = text.replace(remote, local[name])
            (folder / name).write_text(text)
    uws = folder / "UWS-v1.1.xsd"
    return etree.XMLSchema(etree.parse(str(uws)))


def xml(response):
    return etree.fromstring(response.content)


def create(client, **params) -> str:
    """A new job's URL path (after the 303 a client follows)."""
    response = client.post("/tap/async", {"QUERY": QUERY, "LANG": "ADQL", **params})
    assert response.status_code == 303, response.content
    return response["Location"].removeprefix("http://testserver")


def job_of(path: str) -> Job:
    return Job.objects.get(pk=path.rsplit("/", 1)[1])


def test_a_new_job_waits_pending_in_a_document_that_follows_the_uws_schema(client, db, uws_schema):
    path = create(client, MAXREC="5", RUNID="my run")
    response = client.get(path)
    assert response["Content-Type"].startswith("text/xml")
    uws_schema.assertValid(etree.fromstring(response.content))
    document = xml(response)
    assert document.get("version") == "1.1"
    assert document.findtext("uws:phase", namespaces=UWS) == "PENDING"
    assert document.findtext("uws:jobId", namespaces=UWS) == path.rsplit("/", 1)[1]
    assert document.findtext("uws:runId", namespaces=UWS) == "my run"
    assert (
        document.find("uws:ownerId", UWS).get("{http://www.w3.org/2001/XMLSchema-instance}nil")
        == "true"
    )
    assert document.findtext("uws:executionDuration", namespaces=UWS) == "600"
    parameters = {
        p.get("id"): p.text for p in document.iterfind("uws:parameters/uws:parameter", UWS)
    }
    assert parameters == {"QUERY": QUERY, "LANG": "ADQL", "MAXREC": "5"}
    assert client.get(path + "/phase").content == b"PENDING"
    # A job id is 128 random bits: whoever holds an anonymous job's URL holds the job.
    assert len(job_of(path).pk) == 32


def test_running_a_job_completes_it_with_its_result_named_result(client, db, uws_schema):
    path = create(client, PHASE="RUN")
    document = xml(client.get(path))
    uws_schema.assertValid(document)
    assert document.findtext("uws:phase", namespaces=UWS) == "COMPLETED", document
    (result,) = document.iterfind("uws:results/uws:result", UWS)
    assert result.get("id") == "result"
    href = result.get("{http://www.w3.org/1999/xlink}href")
    assert href == f"http://testserver{path}/results/result"
    results = client.get(path + "/results")
    uws_schema.assertValid(xml(results))
    answer = client.get(href.removeprefix("http://testserver"))
    assert answer["Content-Type"].startswith("application/x-votable+xml")
    assert b"TABLEDATA" in answer.content
    assert document.findtext("uws:startTime", namespaces=UWS)
    assert document.findtext("uws:endTime", namespaces=UWS)


def test_a_query_the_service_refuses_ends_the_job_in_error_with_its_votable_error(client, db):
    path = create(client, QUERY="SELECT nothing FROM jmdc.nowhere", PHASE="RUN")
    document = xml(client.get(path))
    assert document.findtext("uws:phase", namespaces=UWS) == "ERROR"
    summary = document.findtext("uws:errorSummary/uws:message", namespaces=UWS)
    assert "nowhere" in summary
    error = client.get(path + "/error")
    assert error["Content-Type"].startswith("application/x-votable+xml")
    assert b'name="QUERY_STATUS" value="ERROR"' in error.content
    assert client.get(path + "/results/result").status_code == 404


def test_a_parameter_the_service_does_not_know_is_listed_and_reported_in_the_result(client, db):
    path = create(client, PHASE="RUN", COLOUR="blue")
    parameters = xml(client.get(path + "/parameters"))
    assert {p.get("id"): p.text for p in parameters.iterfind("uws:parameter", UWS)}[
        "COLOUR"
    ] == "blue"
    answer = client.get(path + "/results/result").content.decode()
    assert 'name="WARNING"' in answer
    assert "COLOUR" in answer


def test_a_job_without_a_query_ends_in_error_saying_what_to_give(client, db):
    response = client.post("/tap/async", {"LANG": "ADQL", "PHASE": "RUN"})
    path = response["Location"].removeprefix("http://testserver")
    assert job_of(path).error_summary == (
        "The job has no QUERY: give the ADQL query to run as QUERY."
    )


def test_another_users_job_is_a_404_and_the_owner_reaches_it_by_session_or_token(client, people):
    client.force_login(people.astronomer)
    path = create(client)
    assert client.get(path + "/owner").content == b"ada"
    client.force_login(people.outsider)
    for resource in ("", "/phase", "/parameters", "/results", "/owner"):
        assert client.get(path + resource).status_code == 404, resource
    assert client.post(path + "/phase", {"PHASE": "ABORT"}).status_code == 404
    assert client.delete(path).status_code == 404
    client.logout()
    assert client.get(path).status_code == 404
    _, key = ApiToken.issue(people.astronomer, "pyvo")
    by_token = client.get(path, HTTP_AUTHORIZATION=f"Token {key}")
    assert by_token.status_code == 200
    assert xml(by_token).findtext("uws:ownerId", namespaces=UWS) == "ada"
    assert job_of(path).phase == "PENDING"


def test_a_wrong_token_is_refused_in_words(client, db):
    response = client.get("/tap/async", HTTP_AUTHORIZATION="Token jmdc_nonsense")
    assert response.status_code == 401
    assert b"Unknown API token: create one on your profile page." in response.content


def test_the_job_list_holds_the_callers_jobs_filtered_by_phase_after_and_last(
    client, people, uws_schema
):
    client.force_login(people.astronomer)
    first, second, third = create(client), create(client), create(client)
    client.post(first + "/phase", {"PHASE": "ABORT"})
    Job.objects.filter(pk=job_of(first).pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    client.force_login(people.outsider)
    create(client)  # someone else's: never listed for ada

    client.force_login(people.astronomer)

    def listed(**query) -> list[str]:
        document = xml(client.get("/tap/async", query))
        uws_schema.assertValid(document)
        return [ref.get("id") for ref in document.iterfind("uws:jobref", UWS)]

    ids = [job_of(p).pk for p in (first, second, third)]
    assert sorted(listed()) == sorted(ids)
    assert listed(PHASE="ABORTED") == [ids[0]]
    assert sorted(listed(PHASE="PENDING")) == sorted(ids[1:])
    hour_ago = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    assert sorted(listed(AFTER=hour_ago)) == sorted(ids[1:])
    assert listed(LAST="1") == [ids[2]]
    refused = client.get("/tap/async", {"PHASE": "DONE"})
    assert refused.status_code == 400
    assert b"PHASE=DONE is no UWS phase" in refused.content


def test_anonymous_clients_list_only_the_jobs_of_their_own_address(client, db):
    mine = create(client)
    other = client.post("/tap/async", {"QUERY": QUERY}, REMOTE_ADDR="192.0.2.7")["Location"]
    document = xml(client.get("/tap/async"))
    assert [ref.get("id") for ref in document.iterfind("uws:jobref", UWS)] == [job_of(mine).pk]
    # ...while the other's job stays reachable by its URL, its id being the key.
    assert client.get(other.removeprefix("http://testserver")).status_code == 200


def test_abort_ends_a_pending_job_and_delete_removes_it(client, db):
    path = create(client)
    response = client.post(path + "/phase", {"PHASE": "ABORT"})
    assert (response.status_code, response["Location"]) == (303, f"http://testserver{path}")
    assert client.get(path + "/phase").content == b"ABORTED"
    refused = client.post(path + "/phase", {"PHASE": "RUN"})
    assert refused.status_code == 400
    assert b"a finished job does not run again" in refused.content
    deleted = client.post(path, {"ACTION": "DELETE"})
    assert (deleted.status_code, deleted["Location"]) == (303, "http://testserver/tap/async")
    assert client.get(path).status_code == 404
    other = create(client)
    assert client.delete(other).status_code == 303
    assert not Job.objects.exists()


def test_a_job_aborted_while_its_query_runs_stays_aborted_without_a_result(db):
    job = service.create_job({"QUERY": QUERY}, owner=None, address="", base_url="http://x/")
    # The worker has taken the job (QUEUED -> EXECUTING) when the client aborts it...
    Job.objects.filter(pk=job.pk).update(phase=Job.Phase.QUEUED)
    started = Job.objects.filter(pk=job.pk, phase=Job.Phase.QUEUED)
    assert started.update(phase=Job.Phase.EXECUTING, started_at=timezone.now()) == 1
    service.abort(job)
    assert job.phase == "ABORTED"
    # ...and a worker that picks up the message afterwards runs nothing.
    assert service.execute(job.pk) == f"job {job.pk} is no longer queued"
    assert not JobResult.objects.exists()
    assert Job.objects.get(pk=job.pk).phase == "ABORTED"


def test_the_client_may_lower_the_execution_duration_not_raise_it(client, db, settings):
    settings.TAP_ASYNC_TIMEOUT_SECONDS = 600
    path = create(client)
    client.post(path + "/executionduration", {"EXECUTIONDURATION": "30"})
    assert client.get(path + "/executionduration").content == b"30"
    client.post(path + "/executionduration", {"EXECUTIONDURATION": "100000"})
    assert client.get(path + "/executionduration").content == b"600"
    refused = client.post(path + "/executionduration", {"EXECUTIONDURATION": "soon"})
    assert refused.status_code == 400
    assert b"EXECUTIONDURATION='soon' is not a whole number of seconds." in refused.content


def test_a_job_past_its_destruction_time_is_gone_before_the_cleanup_deletes_it(
    client, db, settings
):
    settings.TAP_JOB_LIFETIME = datetime.timedelta(days=7)
    path = create(client, PHASE="RUN")
    job = job_of(path)
    assert job.destruction - job.created_at == datetime.timedelta(days=7)
    # A client may bring the destruction forward, not push it past the lifetime.
    later = (job.created_at + datetime.timedelta(days=30)).isoformat()
    client.post(path + "/destruction", {"DESTRUCTION": later})
    assert job_of(path).destruction == job.created_at + datetime.timedelta(days=7)
    soon = timezone.now() + datetime.timedelta(seconds=1)
    client.post(path + "/destruction", {"DESTRUCTION": soon.isoformat()})
    assert (
        client.get(path + "/destruction")
        .content.decode()
        .startswith(soon.strftime("%Y-%m-%dT%H:%M:%S"))
    )
    Job.objects.filter(pk=job.pk).update(destruction=timezone.now() - datetime.timedelta(1))
    assert client.get(path).status_code == 404
    assert client.get(path + "/results/result").status_code == 404
    assert JobResult.objects.filter(job_id=job.pk).exists()  # not yet cleaned up...
    assert service.destroy_expired() == 1
    assert not JobResult.objects.exists()  # ...now it is, with its result


def test_the_quota_refuses_one_live_job_too_many_in_a_votable_error(client, people, settings):
    settings.TAP_ASYNC_JOBS_PER_USER = 2
    client.force_login(people.astronomer)
    first, _ = create(client), create(client)
    refused = client.post("/tap/async", {"QUERY": QUERY})
    assert refused.status_code == 403
    assert refused["Content-Type"].startswith("application/x-votable+xml")
    assert (
        b"You have 2 unfinished TAP jobs, the most one may have at a time: wait for one to "
        b"finish, or delete one (DELETE /tap/async/&lt;job id&gt;), then submit again."
    ) in refused.content
    client.post(first + "/phase", {"PHASE": "ABORT"})  # a finished job frees its place
    create(client)
    client.force_login(people.outsider)  # the quota is each person's
    create(client)


def test_a_broker_that_is_down_ends_the_job_in_error_saying_so(client, db):
    with broker_at(BROKER_DOWN):
        path = create(client, PHASE="RUN")
    document = xml(client.get(path))
    assert document.findtext("uws:phase", namespaces=UWS) == "ERROR"
    assert document.findtext("uws:errorSummary/uws:message", namespaces=UWS) == (
        "The job could not be queued: the service's task queue does not answer. Nothing ran; "
        "submit the job again later."
    )


def test_wait_answers_at_once_for_a_finished_job_and_after_the_wait_for_a_pending_one(
    client, db, settings
):
    import time

    settings.TAP_UWS_MAX_WAIT_SECONDS = 1
    path = create(client)
    began = time.monotonic()
    assert xml(client.get(path, {"WAIT": "-1"})).findtext("uws:phase", namespaces=UWS) == (
        "PENDING"
    )
    # WAIT=-1 is capped by the setting (1 s): it waited, and far less than forever.
    assert 0.9 < time.monotonic() - began < 20
    client.post(path + "/phase", {"PHASE": "ABORT"})
    began = time.monotonic()
    client.get(path, {"WAIT": "30"})
    # A finished job answers at once, not after the 30 s asked (a wide margin: shared machines).
    assert time.monotonic() - began < 10


def test_a_job_document_parses_in_pyvo(client, db):
    from pyvo.io.uws import parse_job

    path = create(client, PHASE="RUN")
    job = parse_job(io.BytesIO(client.get(path).content))
    assert (job.phase, job.results[0].id_) == ("COMPLETED", "result")
    assert int(job.executionduration.sec) == 600


def test_anonymous_clients_have_the_quota_of_their_address(client, db, settings):
    settings.TAP_ASYNC_JOBS_PER_USER = 1
    create(client)
    refused = client.post("/tap/async", {"QUERY": QUERY})
    assert refused.status_code == 403
    assert b"Your address has 1 unfinished TAP jobs" in refused.content
    elsewhere = client.post("/tap/async", {"QUERY": QUERY}, REMOTE_ADDR="192.0.2.7")
    assert elsewhere.status_code == 303
