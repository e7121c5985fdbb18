import csv
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jmdc import columns as catalogue
from jmdc.models import CODE_CHOICES, Measurement, Release, Star
from jmdc.releases import ReleaseError
from jmdc.star_identity import identities_of_names
from lib.numbers import row_id, whole_number
from lib.progress import progress_state
from lib.text import clean_paragraphs

from . import oifits_pages, services
from .access import get_submission_for_user
from .forms import (
    CorrectionForm,
    DecisionForm,
    MeasurementForm,
    ReleaseForm,
    ReplaceFileForm,
    RowFields,
    UploadForm,
    ZipUploadForm,
)
from .models import AuditEntry, Submission
from .permissions import findings_seen_by, why_not_decide
from .uploads import (
    OIFITS_COLUMN,
    UploadError,
    ZipUpload,
    is_zip_upload,
    parse_row,
    read_submission_file,
    read_submission_zip,
)

Action = AuditEntry.Action
COLUMNS = [column.name for column in catalogue.COLUMNS]


def listed(submissions):
    """What a list of submissions shows of each row (author, group, reviewer, number of rows),
    fetched with the list rather than by a query per row."""
    return submissions.select_related("author", "group", "reviewer").annotate(
        row_count=Count("rows", distinct=True)
    )


@login_required
def my_submissions(request: HttpRequest) -> HttpResponse:
    visible = listed(Submission.objects.visible_to(request.user))
    mine = visible.filter(author=request.user)
    groups = visible.filter(group__in=request.user.groups.all()).exclude(author=request.user)
    return render(request, "curation/my_submissions.html", {"mine": mine, "groups": groups})


@login_required
def new_measurement(request: HttpRequest) -> HttpResponse:
    """One diameter through a form: saved as a draft with its findings, then submitted."""
    form = MeasurementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        parsed = parse_row(1, form.cells())
        return _create(request, form, [parsed], source=Submission.Source.FORM)
    return render(request, "curation/new_measurement.html", _guided(form))


def body_too_large(request: HttpRequest, limit: int | None = None) -> bool:
    """Refuse an oversized upload from its Content-Length, before Django reads the body."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    size = whole_number(length)
    limit = settings.SUBMISSION_UPLOAD_MAX_BYTES if limit is None else limit
    return size is not None and size > limit + 64 * 1024


def too_large_message(limit: int | None = None) -> str:
    limit = settings.SUBMISSION_UPLOAD_MAX_BYTES if limit is None else limit
    return f"The file is larger than the limit of {limit / 1e6:.1f} MB: split it into smaller files. Nothing was saved."


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and body_too_large(request):
        messages.error(request, too_large_message())
        return render(request, "curation/upload.html", _uploads(request), status=413)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        if is_zip_upload(uploaded.name):
            form.add_error(
                "file",
                f"{uploaded.name} is a zip: a table with its OIFITS files is uploaded in the "
                "form below (Upload a zip). Nothing was saved.",
            )
        else:
            rows = _read_upload(form, uploaded)
            if rows is not None:
                return _create(
                    request, form, rows, source=Submission.Source.UPLOAD, file_name=uploaded.name
                )
    return render(request, "curation/upload.html", _uploads(request, form=form))


@login_required
def upload_zip(request: HttpRequest) -> HttpResponse:
    """A table and the OIFITS files its OIFITS column names, in one zip: the rows and their
    files are saved together or not at all. Its own address because its size limit is the
    zip's, checked from the Content-Length before the body is read, as the table's is."""
    limit = settings.SUBMISSION_ZIP_MAX_BYTES
    if request.method == "POST" and body_too_large(request, limit):
        messages.error(request, too_large_message(limit))
        return render(request, "curation/upload.html", _uploads(request), status=413)
    form = ZipUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            bundle = read_submission_zip(uploaded.name, uploaded)
        except UploadError as exc:
            form.add_error("file", f"{uploaded.name}: {exc} Nothing was saved.")
        else:
            answer = _create(
                request, form, bundle.rows, source=Submission.Source.UPLOAD,
                file_name=f"{uploaded.name}: {bundle.table_name}", oifits=bundle.files,
            )  # fmt: skip
            if answer.status_code == 302 and (warning := bundle.unused_warning(uploaded.name)):
                messages.warning(request, warning)
            return answer
    return render(request, "curation/upload.html", _uploads(request, zip_form=form))


def _uploads(request: HttpRequest, *, form=None, zip_form=None) -> dict:
    """The upload page: the table's form and the zip's, one of them perhaps with its errors."""
    return {
        **_guided(form or UploadForm(user=request.user)),
        "zip_form": zip_form or ZipUploadForm(user=request.user),
        "oifits_column": OIFITS_COLUMN,
        # In MB of 10^6 bytes, as the refusals and README say (filesizeformat's binary
        # "47.7 MB" for a limit of 50 MB made the page contradict them).
        "zip_limit": f"{settings.SUBMISSION_ZIP_MAX_BYTES / 1e6:g} MB",
        "oifits_limit": f"{settings.OIFITS_MAX_BYTES / 1e6:g} MB",
    }


def _guided(form) -> dict:
    """A submission form's page with its guidance: the columns, an example row and the codes."""
    return {
        "form": form,
        "columns": COLUMNS,
        "example": [(name, catalogue.EXAMPLE_ROW[name]) for name in COLUMNS],
        "codes": code_lists(),
    }


def _read_upload(form, uploaded) -> list | None:
    if uploaded.size > settings.SUBMISSION_UPLOAD_MAX_BYTES:
        form.add_error(
            "file",
            f"The file is {uploaded.size / 1e6:.1f} MB; the limit is {settings.SUBMISSION_UPLOAD_MAX_BYTES / 1e6:.1f} MB: split it into smaller files.",
        )
        return None
    try:
        return read_submission_file(uploaded.name, uploaded.read())
    except UploadError as exc:
        form.add_error("file", f"{uploaded.name}: {exc} Nothing was saved.")
        return None


def _template_of(form) -> str:
    return "curation/upload.html" if "file" in form.fields else "curation/new_measurement.html"


def _page_of(request, form) -> dict:
    if isinstance(form, ZipUploadForm):
        return _uploads(request, zip_form=form)
    if "file" in form.fields:
        return _uploads(request, form=form)
    return _guided(form)


def _create(request, form, rows, **kwargs) -> HttpResponse:
    data = form.cleaned_data
    try:
        submission = services.create_submission(
            actor=request.user, rows=rows, title=data.get("title", ""), group=data.get("group"),
            embargo_until=data.get("embargo_until"), **kwargs,
        )  # fmt: skip
    except services.SubmissionInvalid as exc:
        for problem in exc.problems:
            form.add_error(None, problem)
        return render(request, _template_of(form), _page_of(request, form), status=400)
    except PermissionDenied as exc:  # the address is not verified yet: said on the form
        form.add_error(None, str(exc))
        return render(request, _template_of(form), _page_of(request, form), status=403)
    errors = sum(len(r.errors) for r in submission.rows.all())
    if errors:
        messages.warning(
            request, f"Saved as a draft with {errors} error(s) to fix before you can submit it."
        )
    else:
        messages.success(
            request, "Saved as a draft: check the findings, then submit it to the curators."
        )
    return redirect(submission)


def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        raise Http404
    submission, allowed = get_submission_for_user(request, pk)
    rows = list(submission.rows.all())
    # Each row's OIFITS files, fit and (for the first rows) charts, beside its findings.
    oifits = oifits_pages.review_sections(rows)
    # The star of each row as SIMBAD (else the cross-match) has it, so that a supergiant's
    # diameter and a dwarf's are not judged alike; one lookup for all rows.
    identities = identities_of_names(row.id1 for row in rows)
    for row in rows:  # some findings are for curators only (they speak of embargoed rows)
        row.findings = findings_seen_by(request.user, row.findings)
        row.star_identity = identities.get(row.id1.strip())
        row.oifits = oifits.get(row.pk)
    context = {
        "submission": submission,
        "allowed": allowed,
        # Separation of duties, said in words where the accept and reject buttons would be.
        "decision_blocked": AuditEntry.Action.REQUEST_CHANGES in allowed
        and why_not_decide(request.user, submission),
        "rows": rows,
        "charts": any(o["charted"] for o in oifits.values()),
        "charted_rows": oifits_pages.REVIEW_CHARTED_ROWS,
        "errors": sum(len(r.errors) for r in rows),
        "warnings": sum(len(r.warnings) for r in rows),
        "audit": submission.audit.select_related("actor"),
        "identification": submission.identification(),
        "decision_form": DecisionForm(),
        "replace_form": ReplaceFileForm(),
    }
    return render(request, "curation/submission_detail.html", context)


@never_cache
def identification_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What progress.js polls on a submission page while SIMBAD identifies its names."""
    if not request.user.is_authenticated:
        raise Http404
    submission, _allowed = get_submission_for_user(request, pk)
    state = submission.identification()
    if state is None:
        raise Http404
    return JsonResponse(
        progress_state(percent=state.percent, stage=state.stage, finished=not state.waiting)
    )


@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Every workflow button posts here; the service decides, the page reports."""
    if not request.user.is_authenticated:
        raise Http404
    submission, _allowed = get_submission_for_user(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():  # a text too long: nothing is done, the page says which field
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else "Form"
            for error in errors:
                messages.error(request, f"{label}: {error}")
        return redirect(submission)
    cleaned = clean_paragraphs(form.cleaned_data.get("text", ""))
    for finding in cleaned.findings:  # the services store the cleaned text: say what went
        messages.warning(request, f"Reason or comment: {finding.message}.")
    text = cleaned.text
    calls = {
        Action.SUBMIT: lambda: services.submit(submission, actor=request.user),
        Action.WITHDRAW: lambda: services.withdraw(submission, actor=request.user),
        Action.START_REVIEW: lambda: services.start_review(submission, actor=request.user),
        Action.REQUEST_CHANGES: lambda: services.request_changes(
            submission, actor=request.user, reason=text
        ),
        Action.REJECT: lambda: services.reject(submission, actor=request.user, reason=text),
        Action.ACCEPT: lambda: services.accept(
            submission,
            actor=request.user,
            comment=text,
            acknowledge_warnings=form.cleaned_data.get("acknowledge_warnings", False),
        ),
        Action.COMMENT: lambda: services.comment(submission, actor=request.user, text=text),
    }
    if action not in calls:
        raise Http404
    try:
        calls[action]()
    except services.SubmissionInvalid as exc:
        messages.error(request, str(exc))
        for problem in exc.problems[:50]:
            messages.error(request, problem)
    except services.TransitionError as exc:
        messages.error(request, str(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "You may not do that.")
    else:
        messages.success(request, f"Done: {Action(action).label}.")
    return redirect(submission)


@require_POST
def replace_file(request: HttpRequest, pk: int) -> HttpResponse:
    """New rows for a draft from a table, or from a zip of a table and the OIFITS files its
    OIFITS column names (as the upload page takes them): all replaced, or nothing."""
    if not request.user.is_authenticated:
        raise Http404
    submission, _allowed = get_submission_for_user(request, pk)
    form = ReplaceFileForm(request.POST, request.FILES)
    if form.is_valid():
        uploaded = form.cleaned_data["file"]
        bundle = _read_replacement(form, uploaded)
        if bundle is not None:
            try:
                services.replace_rows(
                    submission, actor=request.user, rows=bundle.rows, oifits=bundle.files
                )
            except services.SubmissionInvalid as exc:
                messages.error(request, f"{uploaded.name}: {exc}")
                for problem in exc.problems[:20]:
                    messages.error(request, problem)
            except (services.TransitionError, PermissionDenied) as exc:
                messages.error(request, str(exc))
            else:
                attached = sum(len(files) for files in bundle.files.values())
                with_files = f" and their {attached} OIFITS file(s)" if attached else ""
                messages.success(
                    request,
                    f"The rows were replaced by the {len(bundle.rows)} rows of the file{with_files}.",
                )
                if warning := bundle.unused_warning(uploaded.name):
                    messages.warning(request, warning)
    for error in form.errors.get("file", []):
        messages.error(request, error)
    return redirect(submission)


def _read_replacement(form, uploaded) -> ZipUpload | None:
    """The rows (and, from a zip, their files) of a replacement; None with the form's error."""
    if not is_zip_upload(uploaded.name):
        rows = _read_upload(form, uploaded)
        return None if rows is None else ZipUpload(rows, {}, uploaded.name)
    limit = settings.SUBMISSION_ZIP_MAX_BYTES
    if uploaded.size > limit:
        form.add_error("file", too_large_message(limit))
        return None
    try:
        return read_submission_zip(uploaded.name, uploaded)
    except UploadError as exc:
        form.add_error("file", f"{uploaded.name}: {exc} Nothing was saved.")
        return None


def edit_row(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    if not request.user.is_authenticated:
        raise Http404
    submission, allowed = get_submission_for_user(request, pk)
    stored = get_object_or_404(submission.rows, position=position)
    if Action.EDIT not in allowed:
        messages.error(
            request,
            f"Submission {submission.pk} is {submission.get_state_display()}: its rows cannot be edited now.",
        )
        return redirect(submission)
    stored.findings = findings_seen_by(request.user, stored.findings)
    form = RowFields(request.POST or None, initial=_cells_of(stored))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_row(
                submission, position, actor=request.user, row=parse_row(position, form.cells())
            )
        except (services.TransitionError, PermissionDenied) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Row {position} saved and checked again.")
        return redirect(submission)
    return render(
        request, "curation/edit_row.html", {"form": form, "submission": submission, "row": stored}
    )


@permission_required("curation.review_submission", raise_exception=True)
def review_queue(request: HttpRequest) -> HttpResponse:
    queue = listed(Submission.objects.review_queue()).order_by("submitted_at")
    return render(request, "curation/review_queue.html", {"queue": queue})


UNRESOLVED_PER_PAGE = 100
UNSETTLED = [Star.Status.NOT_FOUND, Star.Status.AMBIGUOUS, Star.Status.ERROR, Star.Status.PENDING]


@permission_required("curation.review_submission", raise_exception=True)
def unresolved_stars(request: HttpRequest) -> HttpResponse:
    """Identifiers SIMBAD did not settle: retry them, or pick the object by hand."""
    if request.method == "POST":
        star_ids = [n for pk in request.POST.getlist("star") if (n := row_id(pk)) is not None]
        if "retry" in request.POST:
            count = services.retry_identification(star_ids, actor=request.user)
            messages.success(request, f"SIMBAD will be asked again about {count} star(s).")
        elif "identify" in request.POST and star_ids:
            star = get_object_or_404(Star, pk=star_ids[0])
            identifier = request.POST.get("identifier", "")
            try:
                services.request_identification(
                    star, actor=request.user, identifier=identifier,
                    reason=request.POST.get("reason", ""),
                )  # fmt: skip
            except services.SubmissionInvalid as exc:
                for problem in exc.problems:
                    messages.error(request, problem)
            else:
                messages.success(
                    request,
                    f"SIMBAD is asked about {identifier.strip()!r} for {star.name}: the answer "
                    "appears under Identified by hand.",
                )
        # Back to the page the form was on (its query string is the form's own address).
        page = whole_number(request.GET.get("page", ""))
        back = reverse("curation:unresolved_stars")
        return redirect(f"{back}?page={page}" if page and page > 1 else back)
    stars = Star.objects.filter(status__in=UNSETTLED).order_by("status", "name", "pk")
    # Hundreds of names at a time were one page of thousands of checkboxes: a page at a time,
    # the form's buttons acting on the names of the page shown.
    page = Paginator(stars, UNRESOLVED_PER_PAGE).get_page(request.GET.get("page"))
    by_hand = (
        AuditEntry.objects.filter(action=AuditEntry.Action.IDENTIFY)
        .select_related("actor")
        .order_by("-at", "-pk")[:10]
    )
    return render(
        request,
        "curation/unresolved_stars.html",
        {"stars": page.object_list, "page": page, "by_hand": by_hand},
    )


@permission_required("jmdc.correct_measurement", raise_exception=True)
def correct_measurement(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = get_object_or_404(Measurement.objects.visible_to(request.user), pk=pk)
    form = MeasurementForm(request.POST or None, user=request.user, initial=_cells_of(measurement))
    reason_form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and reason_form.is_valid():
        parsed = parse_row(1, form.cells())
        # Only errors block: a warning (a legacy -1, an unusual space) says what the cleaning
        # did to the value that is saved, as an upload's warnings do.
        errors = [e for e in parsed.cell_errors if e["severity"] == "error"]
        if errors:
            for error in errors:
                form.add_error(None, f"{error['field']}: {error['message']}")
        else:
            for warning in parsed.cell_errors:
                messages.warning(request, f"{warning['field']}: {warning['message']}")
            changes = {
                attr: value
                for attr, value in parsed.values.items()
                if getattr(measurement, attr) != value
            }
            if not changes:
                messages.info(request, "Nothing changed.")
                return redirect(reverse("jmdc:measurement", args=[measurement.pk]))
            try:
                services.correct_measurements(
                    [measurement.pk],
                    actor=request.user,
                    changes=changes,
                    reason=reason_form.cleaned_data["reason"],
                )
            except services.SubmissionInvalid as exc:
                for problem in exc.problems:
                    form.add_error(None, problem)
            else:
                messages.success(request, "Corrected; the change is in the history below.")
                return redirect(reverse("jmdc:measurement", args=[measurement.pk]))
    return render(
        request,
        "curation/correct.html",
        {"form": form, "reason_form": reason_form, "measurement": measurement},
    )


def _cells_of(row) -> dict:
    """Form initial values from a measurement or a submitted row."""
    return {column.name: getattr(row, column.field) for column in catalogue.COLUMNS}


def template_csv(request: HttpRequest) -> HttpResponse:
    """The header row alone, ready to fill (the example is a file of its own, so that an
    upload of the untouched template adds no row)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(COLUMNS)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="jmdc-submission-template.csv"'
    return response


def example_csv(request: HttpRequest) -> HttpResponse:
    """The header and one filled-in row (catalogue.EXAMPLE_ROW): how each cell is written."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerow([catalogue.EXAMPLE_ROW[name] for name in COLUMNS])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="jmdc-submission-example.csv"'
    return response


def code_lists() -> list[tuple[str, list[tuple[int, str]]]]:
    """The coded columns and their codes (METHOD, BANDCODE), from the catalogue's choices."""
    return [
        (column.name, list(CODE_CHOICES[column.field]))
        for column in catalogue.COLUMNS
        if column.kind is catalogue.Kind.CODE
    ]


def template_xlsx(request: HttpRequest) -> HttpResponse:
    """The sheet to fill (header only), then an example row, the codes and what each column
    takes, each on a sheet of its own: only the first sheet is read on upload."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "measurements"
    sheet.append(COLUMNS)
    sheet.freeze_panes = "A2"
    example = workbook.create_sheet("example")
    example.append(COLUMNS)
    example.append([catalogue.EXAMPLE_ROW[name] for name in COLUMNS])
    codes = workbook.create_sheet("codes")
    codes.append(["column", "code", "meaning"])
    for name, choices in code_lists():
        for code, meaning in choices:
            codes.append([name, code, meaning])
    about = workbook.create_sheet("columns")
    about.append(["column", "meaning"])
    for column in catalogue.COLUMNS:
        about.append([column.name, column.guidance])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="jmdc-submission-template.xlsx"'
    return response


@permission_required("jmdc.manage_releases", raise_exception=True)
def cut_release(request: HttpRequest) -> HttpResponse:
    """A manager freezes the public catalogue as a new release; its files are then written
    by a task whose progress the release page shows."""
    public = Measurement.objects.public()
    form = ReleaseForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            release = services.cut_release(actor=request.user, **form.cleaned_data)
        except ReleaseError as exc:
            form.add_error("version", str(exc))
        else:
            messages.success(
                request, f"Release {release.version} frozen with {release.row_count} rows."
            )
            # The service stored the notes cleaned: say what went.
            for finding in clean_paragraphs(form.cleaned_data["notes"]).findings:
                messages.warning(request, f"Release notes: {finding.message}.")
            return redirect(release)
    latest = Release.objects.order_by("-date", "-pk").first()
    return render(
        request,
        "curation/cut_release.html",
        {"form": form, "public_count": public.count(), "latest": latest},
    )


@require_POST
@permission_required("jmdc.manage_releases", raise_exception=True)
def build_release(request: HttpRequest, version: str) -> HttpResponse:
    release = get_object_or_404(Release, version=version)
    try:
        services.build_release_again(release, actor=request.user)
    except services.TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The files of {release.version} are being written again.")
    return redirect(release)
