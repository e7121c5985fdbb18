import hashlib

from csp.decorators import csp_update
from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET
from django_filters.views import FilterView

from lib.form_html import kept_form_html
from lib.gzip_stream import gzip_stream
from lib.progress import progress_state
from lib.table_links import SAMP_POLICY, table_link
from lib.votable import UnknownVersion

from .columns import COLUMNS
from .exports import (
    InvalidSelection,
    adql_of,
    export_rows,
    export_version,
    holds_private_rows,
    selection,
    start_export,
    write_export,
)
from .filters import MeasurementFilter
from .formats.registry import FORMATS
from .links import address_of
from .measurement_sections import sections_of
from .models import ExportJob, Measurement, Release
from .paging import BoundedTableMixin
from .releases import bundle_zip
from .tables import MeasurementTable


@method_decorator(csp_update(SAMP_POLICY), name="dispatch")  # the Send menu's SAMP hub
class CatalogueView(BoundedTableMixin, FilterView):
    """The catalogue table: every visible measurement, filtered, sorted, paginated (50 rows a
    page unless ?per_page= asks otherwise, within 10..500; FilterView's own pagination off)."""

    table_class = MeasurementTable
    filterset_class = MeasurementFilter
    template_name = "jmdc/catalogue.html"

    def get_queryset(self):
        return Measurement.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for key in ("page", "per_page"):
            query.pop(key, None)
        # The sort stays: a download lists the rows in the order the page shows them.
        context["selection_query"] = query.urlencode()
        # The page-size choice resends the selection and its sort, and starts at page 1.
        context["kept_fields"] = [(key, value) for key in query for value in query.getlist(key)]
        context["page_sizes"] = PAGE_SIZES
        context["per_page"] = context["table"].paginator.per_page
        # Unfiltered, the page's selection is the catalogue: no second COUNT.
        fields = context["filter"].form.fields
        unfiltered = not any(_field_of(name, fields) for name in self.request.GET)
        context["total"] = (
            context["table"].paginator.count if unfiltered else self.get_queryset().count()
        )
        context["filter_form"] = filter_form_html(context["filter"], self.request.GET)
        if context["filter"].is_valid():
            context["samp"] = table_link(
                self.request,
                reverse("jmdc:export_votable") + (f"?{query.urlencode()}" if query else ""),
                name="JMDC selection",
                # Anonymous visitors see public rows only: no query to ask.
                private=self.request.user.is_authenticated
                and holds_private_rows(context["filter"].qs),
                adql=adql_of(query),
            )
        return context


def filter_form_html(filterset: MeasurementFilter, query) -> str:
    """The filter form as the page shows it, kept per valid query (lib/form_html.py);
    errors, which depend on settings read per request, are rendered each time."""
    if filterset.is_bound and not filterset.is_valid():
        return filterset.form.as_div()
    fields = filterset.form.fields
    return kept_form_html(_form_html, query, lambda name: _field_of(name, fields))


def _field_of(name: str, fields) -> bool:
    # A range's inputs are <field>_min and <field>_max.
    return name in fields or name.removesuffix("_min").removesuffix("_max") in fields


def _form_html(data) -> str:
    return MeasurementFilter(data, queryset=Measurement.objects.none()).form.as_div()


# The page sizes offered (the view takes any in settings.TABLE_PER_PAGE_MIN.._MAX).
PAGE_SIZES = (10, 25, 50, 100, 200, 500)


def column_list(request: HttpRequest) -> HttpResponse:
    """What each catalogue column holds: name, unit, UCD, description and VizieR format, all
    read from the column table, as the headers' help says them in short."""
    return render(request, "jmdc/columns.html", {"columns": COLUMNS})


def measurement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One published row with its full history: every change, by whom, when and why."""
    measurement = get_object_or_404(
        Measurement.objects.visible_to(request.user).select_related("star"), pk=pk
    )
    history = list(measurement.history.select_related("history_user").order_by("history_date"))
    sections = sections_of(measurement, request.user)
    changes = []
    for previous, record in zip([None, *history], history, strict=False):
        changed = [] if previous is None else record.diff_against(previous).changes
        changes.append({"record": record, "changed": changed})
    return render(
        request,
        "jmdc/measurement_detail.html",
        {
            "m": measurement,
            "changes": changes[::-1],
            "datalink_url": address_of("datalink_measurement", measurement.pk),
            "correct_url": address_of("correct_measurement", measurement.pk)
            if request.user.has_perm("jmdc.correct_measurement")
            else None,
            "sections": sections,
            "charts": any(section.get("charts") for section in sections),
        },
    )


def _download(request: HttpRequest, fmt: str) -> HttpResponse:
    """One export view for every format: the visible selection of the query string, streamed
    (or sent whole when the format builds bytes); a selection too large to stream is handed
    to a task and the browser to its progress page."""
    export = FORMATS[fmt]
    try:
        queryset = selection(request.GET, request.user)
        export_version(export, request.GET)  # refused now, not by the task of a large one
    except InvalidSelection as exc:
        return HttpResponse(
            f"Invalid selection: {exc}\n", status=400, content_type="text/plain; charset=utf-8"
        )
    except UnknownVersion as exc:
        return HttpResponse(f"{exc}\n", status=400, content_type="text/plain; charset=utf-8")
    total = queryset.count()
    limit = settings.EXPORT_STREAM_MAX_ROWS
    if export.request_max_rows is not None:
        limit = min(limit, export.request_max_rows)
    if total > limit:
        job = start_export(fmt, request.GET, request.user, total)
        return redirect(job)
    body = write_export(export, export_rows(queryset, request.GET), request.GET, request.user)
    response_class = HttpResponse if isinstance(body, bytes) else StreamingHttpResponse
    response = response_class(body, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@gzip_stream
def export_csv(request: HttpRequest) -> HttpResponse:
    """The catalogue, or the selection the query string describes, as the legacy CSV."""
    return _download(request, "csv")


@gzip_stream
def export_votable(request: HttpRequest) -> HttpResponse:
    """The same selection as a VOTable (TABLEDATA), streamed: 1.4 unless ``VERSION`` or
    ``RESPONSEFORMAT`` asks for 1.1, 1.2 or 1.3."""
    return _download(request, "votable")


def export_xlsx(request: HttpRequest) -> HttpResponse:
    """The same selection as an Excel workbook (built in memory: large ones go to a task)."""
    return _download(request, "xlsx")


def export_pdf(request: HttpRequest) -> HttpResponse:
    """The same selection as a printable PDF: the filter in words, the units, the date."""
    return _download(request, "pdf")


@gzip_stream
def export_json(request: HttpRequest) -> HttpResponse:
    """The same selection as JSON, each row as the REST API writes it, streamed."""
    return _download(request, "json")


@gzip_stream
def export_vizier(request: HttpRequest) -> HttpResponse:
    """The same selection as VizieR's jmdc.dat (the ReadMe comes with a release)."""
    return _download(request, "vizier")


def _job_for(request: HttpRequest, job_id) -> ExportJob:
    """A job is its owner's (it may hold embargoed rows); an anonymous one, public rows only,
    belongs to whoever holds its unguessable id."""
    job = get_object_or_404(ExportJob.objects.defer("content"), pk=job_id)
    if job.user_id is not None and job.user_id != request.user.pk:
        raise Http404
    return job


def export_job(request: HttpRequest, job_id) -> HttpResponse:
    job = _job_for(request, job_id)
    return render(request, "jmdc/export_job.html", {"job": job, "format": FORMATS[job.format]})


@require_GET
def export_job_status(request: HttpRequest, job_id) -> JsonResponse:
    job = _job_for(request, job_id)
    return JsonResponse(
        progress_state(
            percent=job.percent, stage=job.stage, finished=job.finished,
            status=job.status, done=job.done, total=job.total, error=job.error,
        )
    )  # fmt: skip


def export_job_download(request: HttpRequest, job_id) -> HttpResponse:
    job = _job_for(request, job_id)
    if job.status != ExportJob.Status.READY:
        raise Http404
    export = FORMATS[job.format]
    content = ExportJob.objects.values_list("content", flat=True).get(pk=job.pk)
    response = HttpResponse(bytes(content), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def release_list(request: HttpRequest) -> HttpResponse:
    # The counts are the release's own fields: no changelog (megabytes each) is read here.
    releases = (
        Release.objects.visible_to(request.user)
        .select_related("previous")
        .defer("changelog", "previous__changelog")
        .order_by("-date", "-pk")
    )
    return render(
        request,
        "jmdc/release_list.html",
        {
            "releases": releases,
            "cut_url": address_of("cut_release")
            if request.user.has_perm("jmdc.manage_releases")
            else None,
        },
    )


@csp_update(SAMP_POLICY)  # the Send menu's SAMP hub
def release_detail(request: HttpRequest, version: str) -> HttpResponse:
    release = get_object_or_404(
        Release.objects.visible_to(request.user)
        .select_related("previous")
        .defer("previous__changelog"),  # its own changelog is shown, not the previous one's
        version=version,
    )
    files = list(release.files.defer("content"))  # in bundle order
    datacite_files = [f for f in files if f.name.startswith("datacite.")]
    # Its published VOTable, public as every release is (a release not yet built has none).
    votable = next((file for file in files if file.name == VOTABLE_FILE), None)
    return render(
        request,
        "jmdc/release_detail.html",
        {
            "release": release,
            "files": files,
            "datacite_files": datacite_files,
            # DataCite's XML is written only for a release with a DOI (jmdc/formats/datacite.py).
            "has_doi": any(f.name == "datacite.xml" for f in datacite_files),
            "changelog": release.changelog,
            "samp": table_link(
                request,
                reverse("jmdc:release_file", args=[release.version, votable.name]),
                name=f"JMDC release {release.version}",
                private=False,
            )
            if votable is not None and release.status == Release.Status.READY
            else None,
            "build_url": address_of("build_release", release.version)
            if request.user.has_perm("jmdc.manage_releases")
            and release.status != Release.Status.READY
            else None,
        },
    )


@require_GET
def release_status(request: HttpRequest, version: str) -> JsonResponse:
    """What the release page polls while the files are being written."""
    release = get_object_or_404(Release.objects.visible_to(request.user), version=version)
    return JsonResponse(
        progress_state(
            percent=release.progress, stage=release.stage,
            finished=release.status != Release.Status.BUILDING,
            version=release.version, status=release.status, progress=release.progress,
            error=release.error,
        )
    )  # fmt: skip


VOTABLE_FILE = "jmdc.vot"


def _immutable(response: HttpResponse, sha256: str) -> HttpResponse:
    # A release's files never change: caches may keep them for good.
    response["ETag"] = f'"{sha256}"'
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def release_file(request: HttpRequest, version: str, name: str) -> HttpResponse:
    release = get_object_or_404(
        Release.objects.visible_to(request.user), version=version, status=Release.Status.READY
    )
    file = get_object_or_404(release.files, name=name)
    if request.headers.get("If-None-Match") == f'"{file.sha256}"':
        return _immutable(HttpResponse(status=304), file.sha256)
    response = HttpResponse(bytes(file.content), content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.name}"'
    return _immutable(response, file.sha256)


def release_bundle(request: HttpRequest, version: str) -> HttpResponse:
    """All the files of a release in one zip (the same bytes at every download)."""
    release = get_object_or_404(
        Release.objects.visible_to(request.user), version=version, status=Release.Status.READY
    )
    data = bundle_zip(release)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="jmdc-{release.version}.zip"'
    return _immutable(response, hashlib.sha256(data).hexdigest())
