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

from lib.sql_rows import QueryRows
from lib.table_links import adql_literal
from lib.votable import VOTableVersion, requested_version

from .columns import BY_FIELD, CATALOGUE_FIELDS
from .filters import MeasurementFilter
from .formats.pdf import About
from .formats.registry import FORMATS, ExportFormat
from .models import ExportJob, Measurement, Release

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


def export_rows(queryset, query: QueryDict) -> Iterator[tuple]:
    """The 12 values of each selected row: in the order of the table's sort when the query
    string has one (?sort=-ld_diam, as the page's export links keep it), else export order."""
    key = query.get("sort", "")
    if key.removeprefix("-") not in BY_FIELD:
        ordered = queryset.in_export_order()
    else:  # ties broken by id as the database happens to, but stable from one download to the next
        ordered = queryset.order_by(key, "-pk" if key.startswith("-") else "pk")
    # Iterated, the values; the CSV and VOTable writers have PostgreSQL write the rows instead.
    return QueryRows(ordered, CATALOGUE_FIELDS)


def describe_selection(query: QueryDict, user) -> About:
    """The selection in words (each filter as its label and value), its sort and the release
    the live catalogue follows: what a PDF prints above its table."""
    filtered = MeasurementFilter(query, queryset=Measurement.objects.none())
    words = []
    if filtered.is_valid():
        for name, flt in filtered.filters.items():
            value = filtered.form.cleaned_data.get(name)
            if said := _in_words(flt, value):
                words.append(f"{flt.label} {said}")
    key = query.get("sort", "")
    column = BY_FIELD.get(key.removeprefix("-"))
    sort = ""
    if column is not None:
        order = "descending" if key.startswith("-") else "ascending"
        sort = f"sorted by {column.header}, {order}"
    release = (
        Release.objects.visible_to(user)
        .filter(status=Release.Status.READY)
        .defer("changelog")
        .order_by("-date", "-pk")
        .first()
    )
    based_on = (
        f"the live catalogue, whose last release is {release.version} of {release.date:%Y-%m-%d}"
        if release
        else "the live catalogue (no release cut yet)"
    )
    return About(selection=words, sort=sort, written=timezone.now(), release=based_on)


def _in_words(flt, value) -> str:
    if value in (None, "", []):
        return ""
    if isinstance(value, slice):
        low, high = value.start, value.stop
        if low is not None and high is not None:
            return f"from {low:g} to {high:g}"
        return (
            f"at least {low:g}"
            if low is not None
            else f"at most {high:g}"
            if high is not None
            else ""
        )
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        names = dict(flt.extra.get("choices", ()))
        return "is " + " or ".join(str(names.get(v, v)) for v in value)
    return f'contains "{value}"'


def export_version(fmt: ExportFormat, query: QueryDict) -> VOTableVersion | None:
    """The VOTable version the query string asks of a versioned format (None: the format's
    default, or a format without versions). Raises UnknownVersion for one not written."""
    return requested_version(query) if fmt.versioned else None


def write_export(fmt: ExportFormat, rows: Iterator[tuple], query: QueryDict, user):
    """The format's file of these rows; a format that describes its selection is told it, a
    versioned one (VOTable) the version asked for."""
    if fmt.described:
        return fmt.render(rows, about=describe_selection(query, user))
    version = export_version(fmt, query)
    if version is not None:
        return fmt.render(rows, version=version)
    return fmt.render(rows)


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
        query = QueryDict(job.query)
        queryset = selection(query, job.user)
        body = write_export(fmt, _counted(export_rows(queryset, query), job), query, job.user)
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


def holds_private_rows(queryset) -> bool:
    """Whether a selection holds a row the anonymous public cannot see: the SAMP menu then
    sends a signed link (lib/table_links.py), since TOPCAT fetches without the cookies."""
    return queryset.exclude(pk__in=Measurement.objects.public().values("pk")).exists()


# The catalogue filters as ADQL on TAP's jmdc.measurements (the columns named as the catalogue
# names them): what the Send menu shows for pyvo and TOPCAT's TAP window when no hub runs.
# The star filter's matching (blanks ignored, designations, a merged star's aliases) has no
# ADQL: the query names what it resolves to, the stars it found (or the rows, when it found
# only some of a star's rows), while they are few enough to read.
ADQL_IDS_AT_MOST = 300


def identifier_adql(text: str) -> str:
    from django.contrib.auth.models import AnonymousUser

    # TAP publishes what the anonymous public sees: the rows the page shows it.
    public = Measurement.objects.visible_to(AnonymousUser())
    matched = MeasurementFilter({"identifier": text}, queryset=public).qs
    rows = sorted(matched.values_list("pk", "star_id")[: ADQL_IDS_AT_MOST + 1])
    if len(rows) > ADQL_IDS_AT_MOST:
        # Too many to list (a fragment like "HD"): the text within ID1 or ID2, which misses
        # only the rows found by a designation written otherwise.
        like = adql_literal(f"%{text}%")
        return f"(id1 ILIKE {like} OR id2 ILIKE {like})"
    if not rows:
        return "1 = 0"
    stars = sorted({star for _, star in rows})
    if public.filter(star_id__in=stars).count() == len(rows):
        return f"star_id IN ({', '.join(map(str, stars))})"
    return f"measurement_id IN ({', '.join(str(pk) for pk, _ in rows)})"


ADQL_TABLE = "SELECT * FROM jmdc.measurements"


def star_clause(star_id: int) -> str:
    return f"star_id = {int(star_id)}"


def star_adql(star_id: int) -> str:
    """What ``adql_of`` gives for the selection of one star's rows (``?star=<id>``), without
    validating a filter form for it: the star page's own id needs no validation, and the form
    was ~0.6 ms of the page."""
    return f"{ADQL_TABLE} WHERE {star_clause(star_id)}"


def adql_of(query: QueryDict) -> str:
    filtered = MeasurementFilter(query, queryset=Measurement.objects.none())
    if not filtered.is_valid():
        return ""
    data = filtered.form.cleaned_data
    where = []
    if data.get("star"):
        where.append(star_clause(data["star"]))
    if text := (data.get("identifier") or "").strip():
        where.append(identifier_adql(text))
    if text := (data.get("bibcode") or "").strip():
        where.append(f"bibcode ILIKE {adql_literal(f'%{text}%')}")
    for name in ("method", "bandcode"):
        if codes := data.get(name):
            where.append(f"{name} IN ({', '.join(str(int(code)) for code in codes)})")
    for name in ("ud_diam", "ld_diam"):
        bounds = data.get(name)
        if bounds is not None and bounds.start is not None:
            where.append(f"{name} >= {float(bounds.start)!r}")
        if bounds is not None and bounds.stop is not None:
            where.append(f"{name} <= {float(bounds.stop)!r}")
    if data.get("sinpe") is not None:
        where.append(f"sinpe = {1 if data['sinpe'] else 0}")
    return f"{ADQL_TABLE} WHERE {' AND '.join(where)}" if where else ADQL_TABLE
