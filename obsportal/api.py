"""Exposures in the REST API (/api/v1/exposures/): the search page's filters, cone included."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from .filters import ExposureFilter
from .models import Exposure


class ExposureSerializer(serializers.ModelSerializer):
    star = serializers.IntegerField(source="star_id", read_only=True, allow_null=True)
    baselines = serializers.JSONField(
        help_text='{"U1-U2": {"length": [start, end], "angle": [start, end]}}, metres, degrees.'
    )
    validation_log = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Exposure
        fields = [
            "exp_id", "header_id", "mjd_start", "mjd_end", "category", "obs_id", "program",
            "program_title", "program_pi_coi", "interferometer", "stations", "instrument", "mode",
            "submode", "em_min", "em_max", "res_power", "baselines", "tau0", "seeing",
            "temperature", "target_name", "ra", "dec", "star", "target_status", "target_note",
            "date_release", "date_updated", "validation_level", "validation_log",
        ]  # fmt: skip


@extend_schema_view(
    list=extend_schema(
        summary="Exposures at the interferometers",
        description="Filters as the search page: target, ra/dec (degrees or sexagesimal) with "
        "radius (arcsec, 30 by default), instrument (prefix), category, program_id (prefix), "
        "date_from/date_to (UT night), interferometer, date_updated_from/_to, star.",
    ),
    retrieve=extend_schema(summary="One exposure, by its exp_id"),
)
class ExposureViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ExposureSerializer
    filterset_class = ExposureFilter
    lookup_field = "exp_id"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        return Exposure.objects.visible_to(self.request.user).order_by("mjd_start", "pk")
