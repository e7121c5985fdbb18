"""What one caller may keep, and what a job's parameters may hold.

The quota on unfinished jobs (jobs.create_job) does not bound what stays once jobs end: a
COMPLETED job keeps its result (up to TAP_MAXREC_HARD rows) for TAP_JOB_LIFETIME, so a client
looping on submissions could fill the database. Kept jobs and stored result bytes are capped
per user (per address for anonymous clients), finished jobs included, until they are deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import Length
from django.utils import timezone

from lib.votable import INVALID_XML

from .models import Job, JobResult


def refuse_invalid_characters(params: dict[str, str]) -> None:
    """A character XML 1.0 does not allow (NUL, most control characters) cannot be stored
    (PostgreSQL's jsonb refuses NUL) nor written back in the job's XML documents."""
    from .jobs import JobRefused

    for name, value in params.items():
        if INVALID_XML.search(name) or INVALID_XML.search(str(value)):
            shown = INVALID_XML.sub("?", name)
            raise JobRefused(
                f"The parameter {shown} holds a control character (such as NUL) that a UWS "
                "document cannot carry: remove it and send the job again."
            )


def refuse_past_storage_caps(*, owner, address: str) -> None:
    from .jobs import JobRefused

    jobs = Job.objects.filter(destruction__gt=timezone.now())
    if owner is not None:
        jobs, who = jobs.filter(owner=owner), "You keep"
    else:
        jobs, who = jobs.filter(owner__isnull=True, client_address=address), "Your address keeps"
    how = "DELETE old jobs (DELETE /tap/async/<job id>; the list is GET /tap/async), then submit again."
    most = int(settings.TAP_JOBS_PER_OWNER)
    if (count := jobs.count()) >= most:
        raise JobRefused(
            f"{who} {count} TAP jobs, finished ones included, the most one may keep: {how}",
            status=403,
        )
    most_bytes = int(settings.TAP_RESULT_BYTES_PER_OWNER)
    stored = JobResult.objects.filter(job__in=jobs).aggregate(n=Sum(Length("content")))["n"] or 0
    if stored >= most_bytes:
        raise JobRefused(
            f"{who} {stored / 1e6:.1f} MB of TAP results, the most one may keep is "
            f"{most_bytes / 1e6:g} MB: {how}",
            status=403,
        )
