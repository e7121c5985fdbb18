"""Exposures in the REST API (/api/v1/exposures/): the search page's filters, cone included."""

from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets

from ..filters import ExposureFilter
from ..models import Exposure
from .serializers import ExposureSerializer


@extend_schema_view(
    list=extend_schema(
        summary="Exposures at the interferometers",
        description="Filters as the search page: target, ra/dec (degrees or sexagesimal) with "
        "radius (arcsec, 30 by default), instrument (prefix), category, program_id (prefix), "
        "date_from/date_to (UT night), interferometer, date_updated_from/_to, star.",
    ),
    retrieve=extend_schema(
        summary="One exposure, by its exp_id",
        parameters=[
            OpenApiParameter(
                "exp_id",
                str,
                OpenApiParameter.PATH,
                description="DP.ID and exposure number, GRAVI.2020-01-09T03:34:07.546_1",
            )
        ],
    ),
)
class ExposureViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ExposureSerializer
    filterset_class = ExposureFilter
    lookup_field = "exp_id"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        return Exposure.objects.visible_to(self.request.user).order_by("mjd_start", "pk")
