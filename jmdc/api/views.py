"""The catalogue in the REST API (/api/v1/): measurements, stars, releases. Read only; every
queryset goes through ``visible_to(request.user)``, so another group's embargoed row is a 404
here exactly as on the pages."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.renderers import JSONRenderer

from lib.api.renderers import BrowsableAPIRenderer, CSVRenderer

from ..filters import MeasurementFilter
from ..formats.csv import iter_csv
from ..models import Measurement, Release, ReleaseFile, Star
from .serializers import (
    MeasurementSerializer,
    ReleaseSerializer,
    StarSerializer,
    StarWithMeasurementsSerializer,
)

FORMAT = OpenApiParameter(
    "format", OpenApiTypes.STR, enum=["json", "csv"],
    description="json (default), or csv: the catalogue's CSV (/export_csv): the whole selection, "
    "or the one measurement under the header.",
)  # fmt: skip


@extend_schema_view(
    list=extend_schema(
        summary="Measurements of the catalogue",
        description="The measurements you may see (public ones, plus your groups' embargoed "
        "ones), filtered like the catalogue page. `?format=csv` streams the whole selection in "
        "the catalogue's CSV (the /export_csv format), without pages.",
        parameters=[FORMAT],
    ),
    retrieve=extend_schema(summary="One measurement", parameters=[FORMAT]),
)
class MeasurementViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MeasurementSerializer
    filterset_class = MeasurementFilter
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]

    def get_queryset(self):
        return Measurement.objects.visible_to(self.request.user).in_export_order()

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == "csv":
            return self._csv(self.filter_queryset(self.get_queryset()), "jmdc.csv")
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        """One measurement; in CSV, its row under the /export_csv header (the renderer would
        be given the serializer's dict, which is not the catalogue's CSV)."""
        if request.accepted_renderer.format == "csv":
            measurement = self.get_object()  # 404 for a row the user may not see
            one = self.get_queryset().filter(pk=measurement.pk)
            return self._csv(one, f"jmdc-measurement-{measurement.pk}.csv")
        return super().retrieve(request, *args, **kwargs)

    @staticmethod
    def _csv(selection, filename: str) -> StreamingHttpResponse:
        response = StreamingHttpResponse(
            iter_csv(selection.export_values()), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


@extend_schema_view(
    list=extend_schema(summary="Stars with a measurement or an exposure you may see"),
    retrieve=extend_schema(summary="A star and its measurements"),
)
class StarViewSet(viewsets.ReadOnlyModelViewSet):
    # The project's API gives the detail with the star's exposures (portal/api/stars.py).
    detail_serializer_class = StarWithMeasurementsSerializer

    def get_queryset(self):
        return Star.objects.visible_to(self.request.user).order_by("name")

    def get_serializer_class(self):
        return self.detail_serializer_class if self.action == "retrieve" else StarSerializer


@extend_schema_view(
    list=extend_schema(summary="Releases of the catalogue, newest first"),
    retrieve=extend_schema(
        summary="A release and the addresses of its files",
        parameters=[
            OpenApiParameter(
                "version",
                str,
                OpenApiParameter.PATH,
                description="The release's version, e.g. 2026.1",
            )
        ],
    ),
)
class ReleaseViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ReleaseSerializer
    lookup_field = "version"
    lookup_value_regex = r"[A-Za-z0-9][A-Za-z0-9._-]*"

    def get_queryset(self):
        # The files' metadata in one query for the page (their bytes are downloads of their
        # own); the changelog, megabytes a release, is not part of the answer.
        files = ReleaseFile.objects.defer("content").order_by("pk")
        return (
            Release.objects.visible_to(self.request.user)
            .defer("changelog")
            .prefetch_related(Prefetch("files", queryset=files))
            .order_by("-date", "-pk")
        )
