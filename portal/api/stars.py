"""A star in the REST API as the star page shows it: the catalogue's star and measurements
(jmdc.api) with the exposures taken of it (obsportal). It composes two apps, so it lives in the
project package; the catalogue's API knows no exposure."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from jmdc.api.serializers import SourceFactsSerializer, StarWithMeasurementsSerializer
from jmdc.api.views import StarViewSet as CatalogueStarViewSet
from jmdc.models import SourceFacts
from obsportal.models import Exposure

STAR_EXPOSURES_INLINE = 100


class StarExposureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Exposure
        fields = ["exp_id", "mjd_start", "category", "instrument", "mode", "stations", "program"]


class StarDetailSerializer(StarWithMeasurementsSerializer):
    exposure_count = serializers.SerializerMethodField()
    exposures = serializers.SerializerMethodField(
        help_text=f"The newest {STAR_EXPOSURES_INLINE}; /api/v1/exposures/?star=<id> has all."
    )

    sources = serializers.SerializerMethodField(
        help_text="What each source (JMMC's cross-match, SIMBAD, the JSDC) says of the star, "
        "with the date it said it; the star's own fields are SIMBAD's answer."
    )

    class Meta(StarWithMeasurementsSerializer.Meta):
        fields = [
            *StarWithMeasurementsSerializer.Meta.fields,
            "sources",
            "exposure_count",
            "exposures",
        ]

    @extend_schema_field(SourceFactsSerializer(many=True))
    def get_sources(self, star) -> list[dict]:
        facts = SourceFacts.objects.visible_to(self.context["request"].user).filter(star=star)
        return SourceFactsSerializer(facts, many=True).data

    def _exposures(self, star):
        return Exposure.objects.visible_to(self.context["request"].user).filter(star=star)

    def get_exposure_count(self, star) -> int:
        return self._exposures(star).count()

    @extend_schema_field(StarExposureSerializer(many=True))
    def get_exposures(self, star) -> list[dict]:
        newest = self._exposures(star).order_by("-mjd_start")[:STAR_EXPOSURES_INLINE]
        return StarExposureSerializer(newest, many=True).data


@extend_schema_view(
    list=extend_schema(summary="Stars with a measurement or an exposure you may see"),
    retrieve=extend_schema(summary="A star, its measurements and its newest exposures"),
)
class StarViewSet(CatalogueStarViewSet):
    detail_serializer_class = StarDetailSerializer
