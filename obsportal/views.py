import datetime
import math

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_http_methods

from .cone import cone
from .headers import baselines_string
from .models import Exposure
from .votables import scs_error, scs_votable, search_votable

VOTABLE = "application/x-votable+xml; charset=utf-8"
MAX_RADIUS_ARCSEC = 3600.0 * 10


class BadRequest(ValueError):
    pass


def _number(params, name: str, low: float, high: float) -> float | None:
    text = params.get(name, "").strip()
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise BadRequest(f"{name}={text!r} is not a number") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise BadRequest(f"{name}={text} is outside {low}..{high}")
    return value


def _date(params, name: str) -> datetime.datetime | None:
    text = params.get(name, "").strip()
    if not text:
        return None
    if "T" in text:  # an unencoded "+00:00" in a query string arrives as " 00:00"
        text = text.replace(" ", "+")
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise BadRequest(
            f"{name}={text!r} is not an ISO date (2024-01-31T00:00:00+00:00)"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


@csrf_exempt  # Aspro2 posts without a session: there is nothing to forge, the search only reads
@require_http_methods(["GET", "POST"])
@gzip_page
def search_votable_view(request: HttpRequest) -> HttpResponse:
    """Aspro2's cone (ra, dec in degrees, radius in arcsec) and OiDB's harvest filters
    (interferometer, instrument, date_updated_from/_to), answered as TABLEDATA VOTable 1.4."""
    params = request.POST if request.method == "POST" else request.GET
    exposures = Exposure.objects.visible_to(request.user)
    try:
        ra = _number(params, "ra", -360.0, 360.0)
        dec = _number(params, "dec", -90.0, 90.0)
        radius = _number(params, "radius", 0.0, MAX_RADIUS_ARCSEC)
        if (ra is None) != (dec is None):
            raise BadRequest("give both ra and dec (degrees), or neither")
        updated_from = _date(params, "date_updated_from")
        updated_to = _date(params, "date_updated_to")
    except BadRequest as exc:
        return HttpResponse(f"{exc}\n", status=400, content_type="text/plain; charset=utf-8")
    if ra is not None:
        exposures = cone(exposures, ra, dec, (radius if radius is not None else 30.0) / 3600.0)
    if params.get("interferometer"):
        exposures = exposures.filter(interferometer__iexact=params["interferometer"].strip())
    if params.get("instrument"):
        exposures = exposures.filter(instrument__istartswith=params["instrument"].strip())
    if updated_from:
        exposures = exposures.filter(date_updated__gte=updated_from)
    if updated_to:
        exposures = exposures.filter(date_updated__lt=updated_to)
    all_fields = params.get("all_fields", "false").strip().lower() in ("true", "1", "yes")
    latest = None
    if all_fields:  # OiDB's harvest reads it; Aspro2's per-target call does without the query
        latest = Exposure.objects.order_by("-date_updated").values_list("date_updated", flat=True)
        latest = latest.first()
    last_mod_date = latest.isoformat(sep=" ", timespec="seconds") if latest else ""
    body = search_votable(exposures, all_fields=all_fields, last_mod_date=last_mod_date)
    return StreamingHttpResponse(body, content_type=VOTABLE)


@require_http_methods(["GET"])
@gzip_page
def simple_cone_search(request: HttpRequest) -> HttpResponse:
    """IVOA Simple Cone Search 1.03: RA, DEC, SR in degrees; errors as a VOTable INFO."""
    missing = [name for name in ("RA", "DEC", "SR") if not request.GET.get(name, "").strip()]
    if missing:
        return HttpResponse(
            scs_error(f"Missing parameter(s): {', '.join(missing)}"), content_type=VOTABLE
        )
    try:
        ra = _number(request.GET, "RA", 0.0, 360.0)
        dec = _number(request.GET, "DEC", -90.0, 90.0)
        sr = _number(request.GET, "SR", 0.0, 180.0)
    except BadRequest as exc:
        return HttpResponse(scs_error(str(exc)), content_type=VOTABLE)
    found = cone(Exposure.objects.visible_to(request.user).exclude(ra=None), ra, dec, sr)
    return StreamingHttpResponse(scs_votable(found), content_type=VOTABLE)


def exposure_detail(request: HttpRequest, exp_id: str) -> HttpResponse:
    exposure = get_object_or_404(
        Exposure.objects.visible_to(request.user).select_related("star"), exp_id=exp_id
    )
    return render(
        request,
        "obsportal/exposure_detail.html",
        {
            "e": exposure,
            "baselines": exposure.baselines,
            "baselines_text": baselines_string(exposure.baselines),
        },
    )
