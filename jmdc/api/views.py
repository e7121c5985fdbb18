"""The catalogue in the REST API (/api/v1/): measurements, stars, releases. Read only; every
queryset goes through ``visible_to(request.user)``, so another group's embargoed row is a 404
here exactly as on the pages."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.renderers import JSONRenderer

from lib.api.renderers import BrowsableAPIRenderer, CSVRenderer
from obsportal.models import Exposure

from ..csv_export import iter_csv
from ..filters import MeasurementFilter
from ..models import Measurement, Release, ReleaseFile, Star
from ..serializers import CatalogueRowSerializer

STAR_EXPOSURES_INLINE = 100
FORMAT = OpenApiParameter(
    "format", OpenApiTypes.STR, enum=["json", "csv"],
    description="json (default), or csv: the catalogue's CSV (/export_csv): the whole selection, "
    "or the one measurement under the header.",
)  # fmt: skip


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A measurement (values of the catalogue's shape)",
            response_only=True,
            value={
                "id": 42,
                "star": 7,
                "id1": "HD360",
                "id2": "",
                "ud_diam": None,
                "ld_diam": 0.906,
                "e_ld_diam": 0.014,
                "band": "H",
                "mu_lambda": None,
                "method": 1,
                "bandcode": 7,
                "notes": "",
                "bibcode": "2019Natur.567..200P",
                "sinpe": False,
                "embargo_until": None,
            },
        )
    ]
)
class MeasurementSerializer(CatalogueRowSerializer):
    id = serializers.IntegerField(read_only=True)
    star = serializers.IntegerField(source="star_id", read_only=True, help_text="The star's id.")
    embargo_until = serializers.DateField(
        read_only=True, allow_null=True, help_text="Visible to its group only until then."
    )


class StarExposureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Exposure
        fields = ["exp_id", "mjd_start", "category", "instrument", "mode", "stations", "program"]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A star (invented id, SIMBAD-shaped values)",
            response_only=True,
            value={
                "id": 7,
                "name": "HD360",
                "main_id": "HD 360",
                "ra": 2.0,
                "dec": -8.0,
                "otype": "*",
                "sp_type": "G8III",
                "hd": "HD 360",
                "hip": "",
                "simbad_status": "resolved",
            },
        )
    ]
)
class StarSerializer(serializers.ModelSerializer):
    simbad_status = serializers.CharField(source="status", read_only=True)

    class Meta:
        model = Star
        fields = ["id", "name", "main_id", "ra", "dec", "otype", "sp_type", "hd", "hip",
                  "simbad_status"]  # fmt: skip


class StarDetailSerializer(StarSerializer):
    measurements = serializers.SerializerMethodField()
    exposure_count = serializers.SerializerMethodField()
    exposures = serializers.SerializerMethodField(
        help_text=f"The newest {STAR_EXPOSURES_INLINE}; /api/v1/exposures/?star=<id> has all."
    )

    class Meta(StarSerializer.Meta):
        fields = [*StarSerializer.Meta.fields, "measurements", "exposure_count", "exposures"]

    def _exposures(self, star):
        return Exposure.objects.visible_to(self.context["request"].user).filter(star=star)

    @extend_schema_field(MeasurementSerializer(many=True))
    def get_measurements(self, star) -> list[dict]:
        user = self.context["request"].user
        rows = Measurement.objects.visible_to(user).filter(star=star).in_export_order()
        return MeasurementSerializer(rows, many=True).data

    def get_exposure_count(self, star) -> int:
        return self._exposures(star).count()

    @extend_schema_field(StarExposureSerializer(many=True))
    def get_exposures(self, star) -> list[dict]:
        newest = self._exposures(star).order_by("-mjd_start")[:STAR_EXPOSURES_INLINE]
        return StarExposureSerializer(newest, many=True).data


class ReleaseFileSerializer(serializers.Serializer):
    name = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes.")
    sha256 = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, file) -> str:
        path = reverse("jmdc:release_file", args=[file.release.version, file.name])
        return self.context["request"].build_absolute_uri(path)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A release (invented)",
            response_only=True,
            value={
                "version": "2026.1",
                "date": "2026-11-23",
                "kind": "cut",
                "status": "ready",
                "row_count": 2012,
                "star_count": 1101,
                "notes": "Yearly release for CDS.",
                "built_at": "2026-11-23T10:00:00Z",
                "files": [
                    {
                        "name": "jmdc.dat",
                        "size": 674020,
                        "sha256": "9f2c…",
                        "url": "https://jmdc.example.org/releases/2026.1/files/jmdc.dat",
                    }
                ],
                "bundle_url": "https://jmdc.example.org/releases/2026.1/bundle.zip",
            },
        )
    ]
)
class ReleaseSerializer(serializers.ModelSerializer):
    files = serializers.SerializerMethodField()
    bundle_url = serializers.SerializerMethodField()

    class Meta:
        model = Release
        fields = ["version", "date", "kind", "status", "row_count", "star_count", "notes",
                  "built_at", "files", "bundle_url"]  # fmt: skip

    @extend_schema_field(ReleaseFileSerializer(many=True))
    def get_files(self, release) -> list[dict]:
        # Prefetched by the viewset (without their content), each file's release set.
        return ReleaseFileSerializer(release.files.all(), many=True, context=self.context).data

    def get_bundle_url(self, release) -> str | None:
        if release.status != Release.Status.READY:
            return None
        path = reverse("jmdc:release_bundle", args=[release.version])
        return self.context["request"].build_absolute_uri(path)


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
    retrieve=extend_schema(summary="A star, its measurements and its newest exposures"),
)
class StarViewSet(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        return Star.objects.visible_to(self.request.user).order_by("name")

    def get_serializer_class(self):
        return StarDetailSerializer if self.action == "retrieve" else StarSerializer


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
