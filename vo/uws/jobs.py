"""The life of an asynchronous TAP job (UWS 1.1): every change of a job goes through one of
these functions.

PENDING --RUN--> QUEUED --worker--> EXECUTING --> COMPLETED | ERROR
any live phase --ABORT--> ABORTED

Each step is a conditional UPDATE on the phase it leaves, so that an ABORT and the worker's
end race to one winner: a job aborted while its query runs stays ABORTED and its result is
never written.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lib.enqueue import try_enqueue

from . import limits, running
from .models import Job, JobResult, async_timeout_seconds, job_lifetime

logger = logging.getLogger(__name__)

# Parameters of the UWS protocol itself, not of the query: they act on the job when given
# at its creation and are not kept among the query's parameters.
UWS_CONTROL = frozenset({"PHASE", "RUNID", "ACTION", "EXECUTIONDURATION", "DESTRUCTION"})
ADQL_LANGUAGES = frozenset({"ADQL", "ADQL-2.0", "ADQL-2.1"})


class JobRefused(Exception):
    """A request about a job the service will not carry out, in the caller's words."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def jobs_per_user() -> int:
    return settings.TAP_ASYNC_JOBS_PER_USER


def create_job(params: dict[str, str], *, owner, address: str, base_url: str) -> Job:
    """A new PENDING job holding ``params`` as given (names upper-cased). Refused when the
    caller already has as many unfinished jobs as the quota allows (a job aborted whose query
    has not yet stopped is one of them), or as many jobs or stored bytes as it may keep."""
    limits.refuse_invalid_characters(params)
    live = Job.objects.filter(Q(phase__in=Job.LIVE_PHASES) | Q(backend_pid__isnull=False))
    live = live.filter(destruction__gt=timezone.now())
    if owner is not None:
        live, who = live.filter(owner=owner), "You have"
    else:
        live, who = live.filter(owner__isnull=True, client_address=address), "Your address has"
    quota = jobs_per_user()
    if live.count() >= quota:
        raise JobRefused(
            f"{who} {quota} unfinished TAP jobs, the most one may have at a time: wait for one "
            "to finish, or delete one (DELETE /tap/async/<job id>), then submit again.",
            status=403,
        )
    limits.refuse_past_storage_caps(owner=owner, address=address)
    with transaction.atomic():  # a refused duration or destruction creates no job
        now = timezone.now()
        job = Job.objects.create(
            created_at=now,
            destruction=now + job_lifetime(),
            owner=owner,
            client_address=address if owner is None else "",
            run_id=params.get("RUNID", "")[:200],
            parameters={name: value for name, value in params.items() if name not in UWS_CONTROL},
            base_url=base_url,
        )
        if "EXECUTIONDURATION" in params:
            set_execution_duration(job, params["EXECUTIONDURATION"])
        if "DESTRUCTION" in params:
            set_destruction(job, params["DESTRUCTION"])
    return job


def update_parameters(job: Job, params: dict[str, str]) -> None:
    """UWS lets a client change the parameters of a job until it runs."""
    if job.phase != Job.Phase.PENDING:
        raise JobRefused(
            f"The job is {job.phase}: its parameters can change only while it is PENDING."
        )
    limits.refuse_invalid_characters(params)
    job.parameters.update({n: v for n, v in params.items() if n not in UWS_CONTROL})
    if "RUNID" in params:
        job.run_id = params["RUNID"][:200]
    job.save(update_fields=["parameters", "run_id"])


def start(job: Job) -> None:
    """PHASE=RUN: queue the job for a worker. A job already queued or running is left as it
    is; a finished one cannot run again. With the task queue down the job ends in ERROR,
    saying so, rather than waiting for a message that was never sent."""
    if job.phase in (Job.Phase.QUEUED, Job.Phase.EXECUTING):
        return
    if job.phase != Job.Phase.PENDING:
        raise JobRefused(
            f"The job is {job.phase}: a finished job does not run again; submit a new one."
        )
    if not Job.objects.filter(pk=job.pk, phase=Job.Phase.PENDING).update(phase=Job.Phase.QUEUED):
        job.refresh_from_db()
        return
    from .tasks import run_job

    failure = try_enqueue(run_job, job.pk, what=f"TAP job {job.pk}")
    if failure is not None:
        _finish(
            job.pk,
            Job.Phase.ERROR,
            from_phases=(Job.Phase.QUEUED,),
            error_summary="The job could not be queued: the service's task queue does not "
            "answer. Nothing ran; submit the job again later.",
        )
    job.refresh_from_db()


def abort(job: Job) -> None:
    """PHASE=ABORT: a live job ends ABORTED at once, and its query, if it runs, is cancelled
    in the database (vo/uws/running.py); a finished job stays as it ended."""
    pid = Job.objects.filter(pk=job.pk).values_list("backend_pid", flat=True).first()
    if _finish(job.pk, Job.Phase.ABORTED, from_phases=Job.LIVE_PHASES, error_summary=""):
        running.cancel_query(job.pk, pid)
    job.refresh_from_db()


def set_execution_duration(job: Job, value: str) -> None:
    """The client may lower the time its query may run, not raise it past the service's
    limit (UWS: the service may adjust what it is given; 0, unlimited, means the limit)."""
    if job.phase != Job.Phase.PENDING:
        raise JobRefused(f"The job is {job.phase}: its execution duration is fixed once it runs.")
    try:
        seconds = int(value.strip())
    except (AttributeError, ValueError):
        raise JobRefused(f"EXECUTIONDURATION={value!r} is not a whole number of seconds.") from None
    limit = async_timeout_seconds()
    job.execution_duration = limit if seconds <= 0 else min(seconds, limit)
    job.save(update_fields=["execution_duration"])


def set_destruction(job: Job, value: str) -> None:
    """The client may bring the destruction forward, not keep a job longer than the service's
    lifetime from its creation."""
    try:
        when = datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        raise JobRefused(
            f"DESTRUCTION={value!r} is not an ISO 8601 date and time "
            "(such as 2030-01-31T12:00:00Z)."
        ) from None
    if timezone.is_naive(when):
        when = timezone.make_aware(when, datetime.UTC)
    job.destruction = min(when, job.created_at + job_lifetime())
    job.save(update_fields=["destruction"])


def delete(job: Job) -> None:
    """DELETE: the job and its result are gone; a query still running is cancelled in the
    database (and were it to end first, its result would find no job to be written to)."""
    found = Job.objects.filter(pk=job.pk).values_list("phase", "backend_pid").first()
    Job.objects.filter(pk=job.pk).delete()
    if found and found[0] == Job.Phase.EXECUTING:
        running.cancel_query(job.pk, found[1])


def destroy_expired() -> int:
    """Jobs past their destruction time, with their results; and jobs a worker left
    EXECUTING past their time (it died): they end in ERROR saying so."""
    now = timezone.now()
    _, by_model = Job.objects.filter(destruction__lte=now).delete()
    # A pid a dead worker left on a finished job would count against the quota for ever.
    stale = now - datetime.timedelta(seconds=async_timeout_seconds() + 60)
    Job.objects.filter(backend_pid__isnull=False, started_at__lt=stale).exclude(
        phase=Job.Phase.EXECUTING
    ).update(backend_pid=None)
    for job in Job.objects.filter(phase=Job.Phase.EXECUTING):
        if (
            job.started_at
            and job.started_at + datetime.timedelta(seconds=job.execution_duration + 60) < now
        ):
            _finish(
                job.pk,
                Job.Phase.ERROR,
                from_phases=(Job.Phase.EXECUTING,),
                error_summary="The worker running this query stopped before it ended. "
                "Submit the job again.",
            )
    return by_model.get(Job._meta.label, 0)


def _finish(job_id: str, phase: str, *, from_phases, error_summary: str) -> bool:
    return bool(
        Job.objects.filter(pk=job_id, phase__in=from_phases).update(
            phase=phase, ended_at=timezone.now(), error_summary=error_summary
        )
    )


def execute(job_id: str) -> str:
    """What the worker does with a queued job: run its query within its limits and keep the
    result, unless the job was aborted or deleted meanwhile."""
    pid, previous_name = running.claim_session(job_id)
    if not Job.objects.filter(pk=job_id, phase=Job.Phase.QUEUED).update(
        phase=Job.Phase.EXECUTING, started_at=timezone.now(), backend_pid=pid
    ):
        running.release_session(job_id, previous_name)
        return f"job {job_id} is no longer queued"
    try:
        return _execute(job_id)
    finally:
        running.release_session(job_id, previous_name)


def _execute(job_id: str) -> str:
    job = Job.objects.get(pk=job_id)
    from vo.tap.engine import TapError, run_adql
    from vo.tap.output import parse_format, render

    try:
        query, maxrec, fmt = _query_of(job, parse_format)
        result = run_adql(query, maxrec=maxrec, timeout_seconds=job.execution_duration)
        content, content_type = render(
            result, fmt, base_url=job.base_url, infos=_warnings(job.parameters)
        )
    except TapError as exc:
        _finish(job_id, Job.Phase.ERROR, from_phases=(Job.Phase.EXECUTING,), error_summary=str(exc))
        return f"job {job_id}: {exc}"
    except Exception:
        logger.exception("TAP job %s failed", job_id)
        _finish(
            job_id,
            Job.Phase.ERROR,
            from_phases=(Job.Phase.EXECUTING,),
            error_summary="The query failed on the server's side, not because of what it "
            "asks; it is logged. Try again later.",
        )
        return f"job {job_id} failed"
    with transaction.atomic():
        JobResult.objects.create(
            job_id=job_id,
            content=content,
            content_type=content_type,
            overflow=result.overflow,
            rows=len(result.rows),
        )
        if not _finish(
            job_id, Job.Phase.COMPLETED, from_phases=(Job.Phase.EXECUTING,), error_summary=""
        ):
            transaction.set_rollback(True)  # aborted while it ran: no result
            return f"job {job_id} was aborted while it ran"
    return f"job {job_id}: {len(result.rows)} rows"


def _query_of(job: Job, parse_format):
    """The query, the row limit and the output format the job's parameters ask for."""
    from vo.tap.engine import TapError
    from vo.tap.params import check_protocol_version, maxrec_of

    params = job.parameters
    lang = params.get("LANG", "ADQL")
    if lang.upper() not in ADQL_LANGUAGES:
        raise TapError(f"LANG={lang}: this service runs ADQL queries only (LANG=ADQL).")
    query = params.get("QUERY", "").strip()
    if not query:
        raise TapError("The job has no QUERY: give the ADQL query to run as QUERY.")
    check_protocol_version(params)
    return (
        query,
        maxrec_of(params),
        parse_format(params.get("RESPONSEFORMAT") or params.get("FORMAT")),
    )


def _warnings(params: dict[str, str]) -> dict[str, str] | None:
    from vo.tap.params import unknown_params

    unknown = unknown_params(params)
    if not unknown:
        return None
    return {"WARNING": "Parameters this service does not know, not used: " + ", ".join(unknown)}
