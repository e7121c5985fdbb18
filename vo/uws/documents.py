"""The UWS 1.1 XML documents: a job, the job list, a job's parameters and results
(namespace http://www.ivoa.net/xml/UWS/v1.0, which UWS 1.1 keeps; version="1.1")."""

from __future__ import annotations

import datetime
from xml.sax.saxutils import escape, quoteattr

from lib.votable import INVALID_XML

from .models import Job

UWS_NS = "http://www.ivoa.net/xml/UWS/v1.0"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
NAMESPACES = f'xmlns:uws="{UWS_NS}" xmlns:xlink="{XLINK_NS}" xmlns:xsi="{XSI_NS}"'
ROOT_ATTRIBUTES = f'{NAMESPACES} version="1.1"'  # the schema allows it on job and jobs only


def xs_datetime(moment: datetime.datetime | None) -> str:
    """UTC with a Z, to the millisecond: astropy (pyvo's parser) reads this form."""
    if moment is None:
        return ""
    moment = moment.astimezone(datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def clean(value) -> str:
    """Text without the characters XML 1.0 forbids: they are refused when a job is created
    or changed (vo/uws/limits.py), and dropped here too, so that no job stored before, or
    by another way, can make a document (or a whole job list) unreadable."""
    return INVALID_XML.sub("", str(value))


def _element(name: str, value: str | None) -> str:
    if value is None or value == "":
        return f'<uws:{name} xsi:nil="true"/>'
    return f"<uws:{name}>{escape(clean(value))}</uws:{name}>"


def owner_id(job: Job) -> str | None:
    return job.owner.get_username() if job.owner_id else None


def parameters_element(job: Job) -> str:
    lines = [
        f"<uws:parameter id={quoteattr(clean(name))}>{escape(clean(value))}</uws:parameter>"
        for name, value in sorted(job.parameters.items())
    ]
    return "<uws:parameters>" + "".join(lines) + "</uws:parameters>"


def results_element(job: Job, job_url: str) -> str:
    """One result named ``result`` at .../results/result, which pyvo looks for by that name."""
    if job.phase != Job.Phase.COMPLETED:
        return "<uws:results/>"
    result = job.result
    return (
        '<uws:results><uws:result id="result" xlink:type="simple" '
        f'xlink:href={quoteattr(job_url + "/results/result")} size="{len(result.content)}" '
        f"mime-type={quoteattr(result.content_type)}/></uws:results>"
    )


def job_document(job: Job, job_url: str) -> bytes:
    parts = [
        f"<uws:job {ROOT_ATTRIBUTES}>",
        _element("jobId", job.pk),
    ]
    if job.run_id:
        parts.append(_element("runId", job.run_id))
    parts += [
        _element("ownerId", owner_id(job)),
        _element("phase", job.phase),
        _element("quote", xs_datetime(job.quote)),
        _element("creationTime", xs_datetime(job.created_at)),
        _element("startTime", xs_datetime(job.started_at)),
        _element("endTime", xs_datetime(job.ended_at)),
        _element("executionDuration", str(job.execution_duration)),
        _element("destruction", xs_datetime(job.destruction)),
        parameters_element(job),
        results_element(job, job_url),
    ]
    if job.error_summary:
        kind = "fatal" if job.phase == Job.Phase.ERROR else "transient"
        parts.append(
            f'<uws:errorSummary type="{kind}" hasDetail="true">'
            f"{_element('message', job.error_summary)}</uws:errorSummary>"
        )
    parts.append("</uws:job>")
    return _document(parts)


def jobs_document(jobs, list_url: str) -> bytes:
    parts = [f"<uws:jobs {ROOT_ATTRIBUTES}>"]
    for job in jobs:
        parts.append(
            f'<uws:jobref id={quoteattr(job.pk)} xlink:type="simple" '
            f"xlink:href={quoteattr(list_url + '/' + job.pk)}>"
        )
        parts.append(_element("phase", job.phase))
        if job.run_id:
            parts.append(_element("runId", job.run_id))
        parts.append(_element("ownerId", owner_id(job)))
        parts.append(_element("creationTime", xs_datetime(job.created_at)))
        parts.append("</uws:jobref>")
    parts.append("</uws:jobs>")
    return _document(parts)


def parameters_document(job: Job) -> bytes:
    return _document(
        [parameters_element(job).replace("<uws:parameters>", f"<uws:parameters {NAMESPACES}>", 1)]
    )


def results_document(job: Job, job_url: str) -> bytes:
    return _document(
        [results_element(job, job_url).replace("<uws:results", f"<uws:results {NAMESPACES}", 1)]
    )


def _document(parts: list[str]) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + "".join(parts) + "\n").encode()
