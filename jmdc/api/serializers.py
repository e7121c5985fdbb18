"""The catalogue's serializers in the REST API: measurements, stars, releases."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from ..models import Measurement, Release, SourceFacts, Star
from ..serializers import CatalogueRowSerializer


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


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A star (invented id, SIMBAD-shaped values)",
            response_only=True,
            value={
                "id": 7,
                "name": "HD360",
                "designation": "HD 360",
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
        fields = ["id", "name", "designation", "main_id", "ra", "dec", "otype", "sp_type",
                  "hd", "hip", "simbad_status"]  # fmt: skip


class SourceFactsSerializer(serializers.ModelSerializer):
    # What one source (JMMC's cross-match, SIMBAD, the JSDC) says of the star, dated: a
    # comment, not a docstring, which would become the schema's description.
    source_name = serializers.CharField(source="get_source_display", read_only=True)

    class Meta:
        model = SourceFacts
        fields = ["source", "source_name", "as_of", "reference", "queried_as", "ra", "dec",
                  "hd", "hip", "two_mass", "gaia", "sp_type", "object_types", "v_mag", "j_mag",
                  "h_mag", "k_mag", "teff", "ldd", "e_ldd"]  # fmt: skip


class StarWithMeasurementsSerializer(StarSerializer):
    # A star and its measurements the user may see: what the catalogue knows of it. The API's
    # star detail adds the star's exposures (portal/api/stars.py: the project composes the
    # apps). A comment, not a docstring: a docstring would become the schema's description.

    measurements = serializers.SerializerMethodField()

    class Meta(StarSerializer.Meta):
        fields = [*StarSerializer.Meta.fields, "measurements"]

    @extend_schema_field(MeasurementSerializer(many=True))
    def get_measurements(self, star) -> list[dict]:
        user = self.context["request"].user
        rows = Measurement.objects.visible_to(user).filter(star=star).in_export_order()
        return MeasurementSerializer(rows, many=True).data


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
