import math

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_filters.views import FilterView

from jmdc.links import address_of
from jmdc.paging import BoundedTableMixin, CappedPaginator
from lib import charts as lib_charts
from lib.form_html import kept_form_html
from lib.gzip_stream import gzip_stream
from lib.numbers import whole_number
from lib.progress import progress_state
from lib.table_links import SAMP_POLICY, table_link
from lib.votable import DEFAULT_VERSION, UnknownVersion, requested_version

from . import charts
from .cone import cone
from .filters import ExposureFilter, date_of_mjd
from .harvest import HarvestBusy
from .models import Exposure, HarvestRun
from .tables import ExposureTable
from .tasks import enqueue_harvest
from .votable_answers import scs_error, scs_votable, search_votable

VOTABLE = "application/x-votable+xml; charset=utf-8"


class BadRequest(ValueError):
    pass


def _number(params, name: str, low: float, high: float) -> float:
    text = params.get(name, "").strip()
    if text == "":  # the view names every missing parameter first; this one is a safeguard
        raise BadRequest(f"Missing parameter(s): {name}")
    try:
        value = float(text)
    except ValueError:
        raise BadRequest(f"{name}={text!r} is not a number") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise BadRequest(f"{name}={text} is outside {low}..{high}")
    return value


@csrf_exempt  # Aspro2 posts without a session: there is nothing to forge, the search only reads
@require_http_methods(["GET", "POST"])
@gzip_stream
def search_votable_view(request: HttpRequest) -> HttpResponseBase:
    """Aspro2's cone (ra, dec in degrees, radius in arcsec), OiDB's harvest filters
    (interferometer, instrument, date_updated_from/_to) and the search page's own, answered
    as TABLEDATA VOTable 1.4 in OiDB's namespace; ``VERSION`` or ``RESPONSEFORMAT`` asks for
    the standard document of 1.1 to 1.4 (see ``search_votable``)."""
    params = request.POST if request.method == "POST" else request.GET
    search = ExposureFilter(params, queryset=Exposure.objects.visible_to(request.user))
    try:
        version = requested_version(params)
    except UnknownVersion as exc:
        return HttpResponse(f"{exc}\n", status=400, content_type="text/plain; charset=utf-8")
    if not search.is_valid():
        return HttpResponse(
            f"{search.error_text()}\n", status=400, content_type="text/plain; charset=utf-8"
        )
    exposures = search.qs
    all_fields = params.get("all_fields", "false").strip().lower() in ("true", "1", "yes")
    latest = None
    if all_fields:  # OiDB's harvest reads it; Aspro2's per-target call does without the query
        updates = Exposure.objects.order_by("-date_updated").values_list("date_updated", flat=True)
        latest = updates.first()
    last_mod_date = latest.isoformat(sep=" ", timespec="seconds") if latest else ""
    body = search_votable(
        exposures, all_fields=all_fields, last_mod_date=last_mod_date, version=version
    )
    return StreamingHttpResponse(body, content_type=VOTABLE)


@require_http_methods(["GET"])
@gzip_stream
def simple_cone_search(request: HttpRequest) -> HttpResponseBase:
    """IVOA Simple Cone Search 1.03: RA, DEC, SR in degrees, and DALI's MAXREC; VOTable 1.4
    unless VERSION or RESPONSEFORMAT asks for 1.1 to 1.3; errors as a VOTable INFO (in 1.4
    when the version asked is the error)."""
    try:
        version = requested_version(request.GET) or DEFAULT_VERSION
    except UnknownVersion as exc:
        return HttpResponse(scs_error(str(exc)), content_type=VOTABLE)
    missing = [name for name in ("RA", "DEC", "SR") if not request.GET.get(name, "").strip()]
    if missing:
        return HttpResponse(
            scs_error(f"Missing parameter(s): {', '.join(missing)}", version), content_type=VOTABLE
        )
    try:
        ra = _number(request.GET, "RA", 0.0, 360.0)
        dec = _number(request.GET, "DEC", -90.0, 90.0)
        sr = _number(request.GET, "SR", 0.0, 180.0)
        maxrec = _maxrec(request.GET)
    except BadRequest as exc:
        return HttpResponse(scs_error(str(exc), version), content_type=VOTABLE)
    found = cone(Exposure.objects.visible_to(request.user).exclude(ra=None), ra, dec, sr)
    return StreamingHttpResponse(scs_votable(found, maxrec, version), content_type=VOTABLE)


def _maxrec(params) -> int:
    """DALI's MAXREC: a whole number >= 0, settings.SCS_MAXREC when absent, and never more
    than it (the service's hard limit); a larger answer is cut and says OVERFLOW."""
    text = params.get("MAXREC", "").strip()
    if text == "":
        return settings.SCS_MAXREC
    maxrec = whole_number(text)
    if maxrec is None:
        raise BadRequest(f"MAXREC={text!r} is not a whole number >= 0")
    return min(maxrec, settings.SCS_MAXREC)


def exposure_detail(request: HttpRequest, exp_id: str) -> HttpResponse:
    exposure = get_object_or_404(
        Exposure.objects.visible_to(request.user).select_related("star"), exp_id=exp_id
    )
    track_rows = charts.uv_tracks_rows(exposure)
    tracks = charts.uv_tracks(track_rows)
    return render(
        request,
        "obsportal/exposure_detail.html",
        {
            "e": exposure,
            "start_ut": date_of_mjd(exposure.mjd_start),
            "end_ut": date_of_mjd(exposure.mjd_end),
            "duration_s": (exposure.mjd_end - exposure.mjd_start) * 86400,
            "baselines": exposure.baselines,
            "baselines_text": exposure.baselines_text,
            "tracks": tracks,
            "tracks_svg": lib_charts.to_svg(tracks),
            "track_count": len(track_rows) // 2,  # and their mirrors
            "datalink_url": address_of("datalink_exposure", exposure.exp_id),
        },
    )


@method_decorator(csp_update(SAMP_POLICY), name="dispatch")  # the Send menu's SAMP hub
class ExposureSearchView(BoundedTableMixin, FilterView):
    """Exposures by target, position, instrument, programme and night; downloadable as the
    VOTable the clients read (all fields)."""

    table_class = ExposureTable
    filterset_class = ExposureFilter
    template_name = "obsportal/search.html"
    paginate_by = None
    # The archive grows; the page counts no further than this (the VOTable download has all).
    paginator_class = CappedPaginator

    def paginator_options(self) -> dict:
        return {"cap": settings.EXPOSURE_SEARCH_COUNT_MAX, "selection": self.get_table_data()}

    def get_queryset(self):
        # The star's key is all a row shows of it (its link): no join.
        return Exposure.objects.visible_to(self.request.user).only(*ExposureTable.READS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for key in ("page", "sort"):
            query.pop(key, None)
        query["all_fields"] = "true"
        context["votable_query"] = query.urlencode()
        # Exposure metadata is public (Exposure.objects.visible_to): a plain link.
        context["samp"] = table_link(
            self.request,
            f"{reverse('obsportal:search_votable')}?{query.urlencode()}",
            name="JMDC exposures",
            private=False,
        )
        context["search_form"] = search_form_html(context["filter"], self.request.GET)
        context["hidden_filters"] = [
            (name, self.request.GET[name])
            for name in ExposureFilter.HIDDEN
            if self.request.GET.get(name)
        ]
        return context


def search_form_html(search: ExposureFilter, query) -> str:
    """The search form's fields as the page shows them, kept per valid query
    (lib/form_html.py); a form with errors is rendered each time."""
    if search.is_bound and not search.is_valid():
        return _search_form(search)
    fields = search.form.fields
    return kept_form_html(_search_form_html, query, fields.__contains__)


def _search_form_html(data) -> str:
    return _search_form(ExposureFilter(data, queryset=Exposure.objects.none()))


def _search_form(search: ExposureFilter) -> str:
    html = render_to_string(
        "obsportal/search_form.html", {"filter": search, "hidden_names": ExposureFilter.HIDDEN}
    )
    return mark_safe(html.removesuffix("\n"))  # noqa: S308 - a template's output, escaped there


@permission_required("obsportal.run_harvests", raise_exception=True)
def harvest_list(request: HttpRequest) -> HttpResponse:
    """The ESO archive harvests: the one running with its progress, the past ones with what
    they did or why they stopped, and a button to start one now."""
    runs = HarvestRun.objects.all()[:30]
    context = {
        "runs": runs,
        "running": next((r for r in runs if not r.finished), None),
        "exposure_count": Exposure.objects.count(),
        "pending_targets": Exposure.objects.filter(
            target_status=Exposure.TargetStatus.PENDING
        ).count(),
    }
    return render(request, "obsportal/harvests.html", context)


@require_POST
@permission_required("obsportal.run_harvests", raise_exception=True)
def harvest_start(request: HttpRequest) -> HttpResponse:
    try:
        run, error = enqueue_harvest(started_by=request.user.get_username())
    except HarvestBusy as exc:
        messages.warning(request, str(exc))
    else:
        if error is not None:
            messages.error(request, run.error + " Try again once the broker is back.")
        else:
            messages.success(request, f"Harvest {run.pk} started.")
    return redirect("obsportal:harvests")


@permission_required("obsportal.run_harvests", raise_exception=True)
def harvest_status(request: HttpRequest, pk: int) -> JsonResponse:
    run = get_object_or_404(HarvestRun, pk=pk)
    return JsonResponse(
        progress_state(
            percent=run.percent, stage=run.stage, finished=run.finished,
            status=run.status, done=run.done, total=run.total, error=run.error,
        )
    )  # fmt: skip
