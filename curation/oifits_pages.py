"""The pages of a row's OIFITS files: the row's page (attach while the draft is editable; the
files, their fit, the findings and the charts for the author and the reviewing curator), its
progress JSON, the download of a file, and the section the published measurement's page shows
(registered with jmdc.measurement_sections in apps.py)."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lib.progress import progress_state

from . import services
from .access import get_submission_for_user
from .forms import OifitsForm
from .models import AuditEntry, OifitsFile
from .oifits import charts, compare
from .oifits.findings import fits_from_json
from .permissions import findings_seen_by

State = OifitsFile.State


# The review page draws the charts of this many rows at most (the first ones with fitted files);
# the others link to their row's OIFITS page. Each row's two charts carry every point of its files
# in the page: the simulated 2 mas file's 162 points make 170 kB of JSON, a MATISSE file's 337
# points 290 kB, and building them takes about 0.15 s a row. Five rows keep the page near 1.5 MB
# and under a second to build, whatever the size of the batch: 200 rows with files would be a
# 50 MB page taking half a minute. (The charts are drawn only when their row is opened.)
REVIEW_CHARTED_ROWS = 5


def oifits_context(files: list[OifitsFile], *, with_charts: bool = True) -> dict[str, Any]:
    """What templates/curation/oifits_files.html reads: the files, their fit, the charts
    (none without ``with_charts``: the review page's rows past its bound)."""
    fitted = [f for f in files if f.state == State.FITTED]
    waiting = [f for f in files if f.state in (State.QUEUED, State.FITTING)]
    charted = fitted if with_charts else []
    return {
        "files": files,
        "fit": fitted[0].fit if fitted else None,
        "failed": next((f.error for f in files if f.state == State.FAILED), ""),
        "waiting": waiting,
        "percent": min((f.progress for f in waiting), default=100),
        "vis2_chart": charts.vis2_chart(charted),
        "uv_chart": charts.uv_chart(charted),
    }


def review_sections(rows: list) -> dict[int, dict[str, Any]]:
    """Each row's OIFITS files for the submission's review page (by row id), beside its
    findings: the files and their fit in two queries whatever the number of rows, and the
    charts only of the first ``REVIEW_CHARTED_ROWS`` rows with fitted files (their points, the
    heavy part of a file's record, read for those files alone)."""
    by_row: dict[int, list[OifitsFile]] = {}
    for stored in OifitsFile.objects.filter(row__in=[r.pk for r in rows]).defer("points"):
        by_row.setdefault(stored.row_id, []).append(stored)
    charted = [r.pk for r in rows if any(f.state == State.FITTED for f in by_row.get(r.pk, []))][
        :REVIEW_CHARTED_ROWS
    ]
    points = dict(
        OifitsFile.objects.filter(row__in=charted, state=State.FITTED).values_list("pk", "points")
    )
    sections = {}
    for row in rows:
        files = by_row.get(row.pk)
        if not files:
            continue
        for stored in files:
            # Set on the deferred records: their charts read it without a query per file.
            stored.points = points.get(stored.pk)
        shown = row.pk in charted
        sections[row.pk] = {
            **oifits_context(files, with_charts=shown),
            "charted": shown,
            "has_fit": any(f.state == State.FITTED for f in files),
            "vis2_id": f"oifits-row-{row.position}-vis2",
            "uv_id": f"oifits-row-{row.position}-uv",
        }
    return sections


def row_oifits(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    """The row's OIFITS page; a POST attaches files (while the draft may be edited)."""
    if not request.user.is_authenticated:
        raise Http404
    submission, allowed = get_submission_for_user(request, pk)
    row = get_object_or_404(submission.rows, position=position)
    form = OifitsForm()
    if request.method == "POST":
        form = OifitsForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                attached = services.attach_oifits(
                    submission, position, actor=request.user, files=form.cleaned_data["files"]
                )
            except services.SubmissionInvalid as exc:
                messages.error(request, str(exc))
                for problem in exc.problems[:20]:
                    messages.error(request, problem)
            except (services.TransitionError, PermissionDenied) as exc:
                messages.error(request, str(exc))
            else:
                names = ", ".join(f.name for f in attached)
                messages.success(
                    request, f"Attached to row {position}: {names}. A worker fits them now."
                )
                return redirect("curation:row_oifits", pk, position)
    row.findings = findings_seen_by(request.user, row.findings)
    files = list(row.oifits_files.all())
    context = {
        "submission": submission,
        "row": row,
        "form": form,
        "may_attach": AuditEntry.Action.EDIT in allowed,
        # Whoever may attach may remove (services.remove_oifits asks the same permission).
        "may_remove": AuditEntry.Action.EDIT in allowed,
        "status_url": reverse("curation:row_oifits_status", args=[pk, position]),
        **oifits_context(files),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "curation/row_oifits.html", context, status=status)


@require_POST
def remove_file(request: HttpRequest, pk: int, position: int, file_id: int) -> HttpResponse:
    """The "Remove" button of a file on the row's page (while the draft may be edited)."""
    if not request.user.is_authenticated:
        raise Http404
    submission, _allowed = get_submission_for_user(request, pk)
    row = get_object_or_404(submission.rows, position=position)
    get_object_or_404(row.oifits_files, pk=file_id)
    try:
        name = services.remove_oifits(submission, position, file_id, actor=request.user)
    except (services.TransitionError, PermissionDenied, services.SubmissionInvalid) as exc:
        messages.error(request, str(exc))
    else:
        left = row.oifits_files.count()
        messages.success(
            request,
            f"Removed from row {position}: {name}. "
            + (
                f"A worker fits the {left} file{'s' if left != 1 else ''} left."
                if left
                else "The row has no OIFITS file left, and no finding of one."
            ),
        )
    return redirect("curation:row_oifits", pk, position)


@never_cache
def row_oifits_status(request: HttpRequest, pk: int, position: int) -> JsonResponse:
    """What progress.js polls while a worker fits the row's files."""
    if not request.user.is_authenticated:
        raise Http404
    submission, _allowed = get_submission_for_user(request, pk)
    row = get_object_or_404(submission.rows, position=position)
    files = list(row.oifits_files.all())
    waiting = [f for f in files if f.state in (State.QUEUED, State.FITTING)]
    stage = (
        f"{len(waiting)} file{'s' if len(waiting) != 1 else ''} {waiting[0].get_state_display()}"
        if waiting
        else "fitted"
    )
    percent = min((f.progress for f in waiting), default=100)
    return JsonResponse(progress_state(percent=percent, stage=stage, finished=not waiting))


def download(request: HttpRequest, pk: int) -> FileResponse:
    """The file as uploaded, to whoever may see its row or its measurement (404 otherwise)."""
    stored = get_object_or_404(OifitsFile.objects.visible_to(request.user), pk=pk)
    content = stored.read()  # asked apart: visible_to's DISTINCT never carries the bytes
    if content is None:
        raise Http404(f"{stored.name} is missing from the portal's storage.")
    # From memory, as a release's files are (jmdc.views.release_file): at most OIFITS_MAX_BYTES.
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=stored.name,
        content_type="application/fits",
    )


def measurement_section(measurement, user) -> dict[str, Any] | None:
    """The OIFITS files behind a published measurement, for its page; None without any.
    The measurement page already checked the user may see the measurement, and its files
    follow it (``OifitsFile.objects.visible_to``)."""
    files = list(OifitsFile.objects.visible_to(user).filter(measurement=measurement))
    if not files:
        return None
    shown = oifits_context(files)
    return {
        "template": "curation/oifits_section.html",
        "charts": True,
        "comparison": published_against_fit(measurement, shown["fit"]),
        **shown,
    }


OUTCOMES = {
    compare.CONSISTENT: f"consistent (within {compare.SIGMAS:g} combined sigma)",
    compare.FAR: f"far from the fit (over {compare.SIGMAS:g} combined sigma)",
    compare.NOT_A_DISC: "not a disc: a disc does not describe these data, the value is not compared",
}


def published_against_fit(measurement, fit: dict[str, Any] | None) -> list[dict[str, str]]:
    """The published UD and LD against the discs fitted to the files, one line each: through
    ``compare.compare_diameters``, the function the review's findings came from, so that the
    page says what the accepting curator read (on today's published values: a correction
    is compared again)."""
    if not fit:
        return []
    found = compare.compare_diameters(
        fits_from_json(fit), measurement.ud_diam, measurement.ld_diam, measurement.e_ld_diam
    )
    lines = []
    for one in found:
        published = "—" if one.submitted is None else f"{one.submitted:g}"
        if one.submitted is not None and one.submitted_error:
            published += f" ± {one.submitted_error:g}"
        lines.append({
            "column": one.column,
            "model": one.fit.model,
            "published": published,
            "fitted": f"{one.fit.diameter:.3f} ± {one.fit.error:.3f}",
            "sigmas": "—" if one.sigmas is None else f"{one.sigmas:.1f}",
            "outcome": one.outcome,
            "says": OUTCOMES[one.outcome],
        })  # fmt: skip
    return lines
