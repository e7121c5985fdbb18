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

from lib.progress import progress_state

from . import services
from .access import get_submission_for_user
from .forms import OifitsForm
from .models import AuditEntry, OifitsFile
from .oifits import charts
from .permissions import findings_seen_by

State = OifitsFile.State


def oifits_context(files: list[OifitsFile]) -> dict[str, Any]:
    """What templates/curation/oifits_files.html reads: the files, their fit, the charts."""
    fitted = [f for f in files if f.state == State.FITTED]
    waiting = [f for f in files if f.state in (State.QUEUED, State.FITTING)]
    return {
        "files": files,
        "fit": fitted[0].fit if fitted else None,
        "failed": next((f.error for f in files if f.state == State.FAILED), ""),
        "waiting": waiting,
        "percent": min((f.progress for f in waiting), default=100),
        "vis2_chart": charts.vis2_chart(fitted),
        "uv_chart": charts.uv_chart(fitted),
    }


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
        "status_url": reverse("curation:row_oifits_status", args=[pk, position]),
        **oifits_context(files),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "curation/row_oifits.html", context, status=status)


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
    return {"template": "curation/oifits_section.html", "charts": True, **oifits_context(files)}
