"""Large exports run as tasks, and the selection every export writes.

A selection is the query string of the catalogue page read by the one FilterSet, over the
rows the user may see. Small selections stream at once; above
``settings.EXPORT_STREAM_MAX_ROWS`` rows an ``ExportJob`` is written by a task, its progress
shown on a page, its file kept ``EXPORT_KEEP_HOURS`` for the person who asked. The formats
themselves are listed in ``jmdc.formats.registry``.
"""

from __future__ import annotations

import datetime
import io
import logging
from collections.abc import Iterator

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone

from .filters import MeasurementFilter
from .formats.registry import FORMATS
from .models import ExportJob, Measurement

PROGRESS_EVERY = 2000
logger = logging.getLogger(__name__)


class InvalidSelection(ValueError):
    pass


def selection(query: QueryDict, user):
    """The measurements the query string selects among those ``user`` may see."""
    filtered = MeasurementFilter(query, queryset=Measurement.objects.visible_to(user))
    if not filtered.is_valid():
        raise InvalidSelection(
            "; ".join(f"{field}: {' '.join(errors)}" for field, errors in filtered.errors.items())
        )
    return filtered.qs


def start_export(fmt: str, query: QueryDict, user, total: int) -> ExportJob:
    from lib.enqueue import try_enqueue

    from .tasks import run_export_task  # tasks import this module

    job = ExportJob.objects.create(
        format=fmt,
        query=query.urlencode(),
        user=user if user is not None and user.is_authenticated else None,
        total=total,
    )
    error = try_enqueue(run_export_task, str(job.id), what=f"export {job.id}")
    if error is not None:  # the broker is down: say so on the job's page
        job.status = ExportJob.Status.FAILED
        job.error = f"The export could not be queued ({error.__class__.__name__}); try again later."
        job.save(update_fields=["status", "error"])
    return job


def run_export(job_id: str) -> ExportJob:
    """Write the job's file, counting rows on the job as it goes; idempotent."""
    job = ExportJob.objects.get(pk=job_id)
    if job.status in (ExportJob.Status.READY, ExportJob.Status.FAILED):
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING)
    fmt = FORMATS[job.format]
    try:
        queryset = selection(QueryDict(job.query), job.user)
        body = fmt.render(_counted(queryset.export_values(), job))
        content = body if isinstance(body, bytes) else _join(body)
    except Exception as exc:  # told on the job's page, and logged for the operators
        logger.exception("export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(exc), finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.READY, content=content, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def _join(pieces: Iterator[str]) -> bytes:
    out = io.BytesIO()
    for piece in pieces:
        out.write(piece.encode("utf-8"))
    return out.getvalue()


def _counted(rows: Iterator[tuple], job: ExportJob) -> Iterator[tuple]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job.pk).update(done=done)
    ExportJob.objects.filter(pk=job.pk).update(done=done)


def purge_old_exports() -> int:
    cutoff = timezone.now() - datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS)
    deleted, _ = ExportJob.objects.filter(created_at__lt=cutoff).delete()
    return deleted
