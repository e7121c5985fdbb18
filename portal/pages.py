"""Pages that compose several apps: the star page shows the catalogue's measurements of a star
and the exposures taken of it. The catalogue keeps the address and its name (``jmdc:star``,
Star.get_absolute_url); the project supplies the view (portal/urls.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from jmdc.models import Measurement, SourceFacts, Star
from jmdc.predictions import prediction_of
from jmdc.star_identity import shown_identity
from obsportal.models import Exposure

STAR_PAGE_EXPOSURES = 50  # the newest; the search page has them all


def star_detail(request: HttpRequest, pk: int) -> HttpResponse:
    star = get_object_or_404(Star.objects.visible_to(request.user), pk=pk)
    measurements = Measurement.objects.visible_to(request.user).filter(star=star).in_export_order()
    exposures = Exposure.objects.visible_to(request.user).filter(star=star)
    source_facts = list(SourceFacts.objects.visible_to(request.user).filter(star=star))
    context = {
        "star": star,
        "identity": shown_identity(star, source_facts),
        "source_facts": source_facts,
        "measurements": measurements,
        "prediction": prediction_of(star),
        "exposure_count": exposures.count(),
        "exposures": exposures.order_by("-mjd_start")[:STAR_PAGE_EXPOSURES],
    }
    return render(request, "portal/star_detail.html", context)
