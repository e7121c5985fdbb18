"""TAP's async resource, UWS 1.1: the job list at /tap/async and each job's resources.

Every view is csrf_exempt: TAP clients (pyvo, TOPCAT) post without a session or a CSRF token.
That is safe here: a job only reads the public tables, and a forged request could at most
create a job whose result goes to the caller's own job list, or act on a job whose
unguessable id the forger would need to know already.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import AuthenticationFailed

from accounts.authentication import TokenAuthentication
from accounts.client_address import client_address

from . import jobs as service
from .documents import (
    job_document,
    jobs_document,
    parameters_document,
    results_document,
    xs_datetime,
)
from .documents import owner_id as owner_of
from .models import Job

VOTABLE = "application/x-votable+xml"
UWS_XML = "text/xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
NO_SUCH_JOB = (
    "There is no TAP job {id} for you here: it was deleted, it passed its destruction "
    "time, or it was created by someone else."
)


class Refusal(Exception):
    def __init__(self, response: HttpResponse):
        self.response = response


def votable_error(message: str, status: int) -> HttpResponse:
    from vo.tap.output import error_document

    return HttpResponse(error_document(message), status=status, content_type=VOTABLE)


def params_of(querydict) -> dict[str, str]:
    from vo.tap.params import dali_params

    return dali_params(querydict)


def uws_view(*methods: str):
    """The common frame of every UWS resource: the methods it answers, TAP's PostgreSQL
    check, the caller (a session, or the portal's API token) and, for a job's resources,
    the job it may address (404 otherwise), and refusals turned into VOTable errors."""

    def decorate(view):
        @csrf_exempt
        def wrapped(request, job_id: str | None = None):
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            from vo.tap.params import postgres_or_error

            if (sqlite_error := postgres_or_error()) is not None:
                return HttpResponse(sqlite_error, status=503, content_type=VOTABLE)
            try:
                user = caller(request)
                if job_id is None:
                    return view(request, user)
                job = Job.objects.visible_to(user).select_related("owner").filter(pk=job_id).first()
                if job is None:
                    return votable_error(NO_SUCH_JOB.format(id=job_id), status=404)
                return view(request, job)
            except service.JobRefused as exc:
                return votable_error(str(exc), status=exc.status)
            except Refusal as refusal:
                return refusal.response

        return wrapped

    return decorate


def caller(request):
    """The signed-in user (a session, or an API token sent as ``Authorization: Token``), or
    None for an anonymous client."""
    if request.user.is_authenticated:
        return request.user
    try:
        found = TokenAuthentication().authenticate(request)
    except AuthenticationFailed as exc:
        raise Refusal(votable_error(str(exc.detail), status=401)) from None
    return found[0] if found else None


def list_url(request) -> str:
    return request.build_absolute_uri(reverse("uws-jobs"))


def job_url(request, job: Job) -> str:
    return request.build_absolute_uri(reverse("uws-job", args=[job.pk]))


def _see_other(url: str) -> HttpResponse:
    response = HttpResponse(status=303)
    response["Location"] = url
    return response


def text(value: str) -> HttpResponse:
    return HttpResponse(value, content_type=TEXT)


@uws_view("GET", "POST")
def jobs(request, user) -> HttpResponse:
    if request.method == "POST":
        return create(request, user)
    found = Job.objects.listed_for(user, client_address(request)).select_related("owner")
    query = {name.upper(): request.GET.getlist(name) for name in request.GET}
    if phases := query.get("PHASE"):
        unknown = sorted(set(phases) - set(Job.Phase.values))
        if unknown:
            raise service.JobRefused(
                f"PHASE={unknown[0]} is no UWS phase: give one of {', '.join(Job.Phase.values)}."
            )
        found = found.filter(phase__in=phases)
    if after := query.get("AFTER"):
        found = found.filter(created_at__gt=parse_moment("AFTER", after[0]))
    if last := query.get("LAST"):
        try:
            count = int(last[0])
        except ValueError:
            count = -1
        if count < 0:
            raise service.JobRefused(f"LAST={last[0]}: give a whole number of jobs, 0 or more.")
        found = found.order_by("-created_at")[:count]
    return HttpResponse(jobs_document(found, list_url(request)), content_type=UWS_XML)


def parse_moment(name: str, value: str):
    import datetime

    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise service.JobRefused(
            f"{name}={value!r} is not an ISO 8601 date and time (such as 2030-01-31T12:00:00Z)."
        ) from None
    return timezone.make_aware(moment, datetime.UTC) if timezone.is_naive(moment) else moment


def create(request, user) -> HttpResponse:
    params = params_of(request.POST)
    phase = params.get("PHASE", "").upper()
    if phase not in ("", "RUN"):
        raise service.JobRefused(f"PHASE={phase}: a new job starts with PHASE=RUN, or without it.")
    job = service.create_job(
        params,
        owner=user,
        address=client_address(request),
        base_url=request.build_absolute_uri("/"),
    )
    if phase == "RUN":
        service.start(job)
    return _see_other(job_url(request, job))


@uws_view("GET", "POST", "DELETE")
def job(request, job: Job) -> HttpResponse:
    if request.method == "DELETE":
        return delete(request, job)
    if request.method == "POST":
        params = params_of(request.POST)
        action = params.pop("ACTION", "").upper()
        if action == "DELETE":
            return delete(request, job)
        if action:
            raise service.JobRefused(f"ACTION={action}: the one action on a job is DELETE.")
        if "PHASE" in params:
            return change_phase(request, job, params.pop("PHASE"))
        service.update_parameters(job, params)
        return _see_other(job_url(request, job))
    job = wait_for_change(request, job)
    return HttpResponse(job_document(job, job_url(request, job)), content_type=UWS_XML)


def wait_for_change(request, job: Job) -> Job:
    """UWS 1.1's blocking GET: with WAIT=n, answer when the phase of a live job changes, or
    after n seconds, at most TAP_UWS_MAX_WAIT_SECONDS (a waiting request holds a web worker);
    with PHASE=p too, wait only while the job is in phase p."""
    query = {name.upper(): request.GET.get(name) for name in request.GET}
    if "WAIT" not in query or job.phase not in Job.LIVE_PHASES:
        return job
    if query.get("PHASE") and query["PHASE"] != job.phase:
        return job
    limit = settings.TAP_UWS_MAX_WAIT_SECONDS
    try:
        seconds = float(query["WAIT"])
    except ValueError:
        raise service.JobRefused(f"WAIT={query['WAIT']}: give a number of seconds.") from None
    seconds = limit if seconds < 0 else min(seconds, limit)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(min(0.2, max(deadline - time.monotonic(), 0)))
        phase = Job.objects.filter(pk=job.pk).values_list("phase", flat=True).first()
        if phase != job.phase:
            break
    fresh = Job.objects.select_related("owner").filter(pk=job.pk).first()
    if fresh is None:
        raise Refusal(votable_error(NO_SUCH_JOB.format(id=job.pk), status=404))
    return fresh


def delete(request, job: Job) -> HttpResponse:
    service.delete(job)
    return _see_other(list_url(request))


def change_phase(request, job: Job, phase: str) -> HttpResponse:
    phase = phase.upper()
    if phase == "RUN":
        service.start(job)
    elif phase == "ABORT":
        service.abort(job)
    else:
        raise service.JobRefused(f"PHASE={phase}: give PHASE=RUN to start the job or ABORT.")
    return _see_other(job_url(request, job))


@uws_view("GET", "POST")
def phase(request, job: Job) -> HttpResponse:
    if request.method == "POST":
        return change_phase(request, job, params_of(request.POST).get("PHASE", ""))
    return text(job.phase)


@uws_view("GET")
def quote(request, job: Job) -> HttpResponse:
    return text(xs_datetime(job.quote))


@uws_view("GET", "POST")
def execution_duration(request, job: Job) -> HttpResponse:
    if request.method == "POST":
        service.set_execution_duration(job, params_of(request.POST).get("EXECUTIONDURATION", ""))
        return _see_other(job_url(request, job))
    return text(str(job.execution_duration))


@uws_view("GET", "POST")
def destruction(request, job: Job) -> HttpResponse:
    if request.method == "POST":
        service.set_destruction(job, params_of(request.POST).get("DESTRUCTION", ""))
        return _see_other(job_url(request, job))
    return text(xs_datetime(job.destruction))


@uws_view("GET")
def error(request, job: Job) -> HttpResponse:
    if not job.error_summary:
        return votable_error(f"The job is {job.phase}: it has no error.", status=404)
    return votable_error(job.error_summary, status=200)


@uws_view("GET")
def results(request, job: Job) -> HttpResponse:
    return HttpResponse(results_document(job, job_url(request, job)), content_type=UWS_XML)


@uws_view("GET")
def result(request, job: Job) -> HttpResponse:
    if job.phase != Job.Phase.COMPLETED:
        return votable_error(
            f"The job is {job.phase}: its result exists once it is COMPLETED.", status=404
        )
    stored = job.result
    return HttpResponse(bytes(stored.content), content_type=stored.content_type)


@uws_view("GET", "POST")
def parameters(request, job: Job) -> HttpResponse:
    if request.method == "POST":
        service.update_parameters(job, params_of(request.POST))
        return _see_other(job_url(request, job))
    return HttpResponse(parameters_document(job), content_type=UWS_XML)


@uws_view("GET")
def owner(request, job: Job) -> HttpResponse:
    return text(owner_of(job) or "")
