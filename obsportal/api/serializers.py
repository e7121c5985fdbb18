"""Exposures in the REST API: the one serializer of an exposure."""

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from ..models import Exposure


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A GRAVITY exposure (from the original ObsPortal's answer to Aspro2)",
            response_only=True,
            value={
                "exp_id": "GRAVI.2020-01-09T03:34:07.546_1",
                "header_id": "GRAVI.2020-01-09T03:34:07.546",
                "mjd_start": 58857.14869845,
                "mjd_end": 58857.1514762278,
                "category": "science",
                "obs_id": 44050,
                "program": "0104.C-0425(A)",
                "interferometer": "VLTI",
                "stations": "U1 U2 U3 U4",
                "instrument": "GRAVITY",
                "mode": "HIGH-COMBINED",
                "submode": "SINGLE",
                "tau0": 0.0049675,
                "temperature": 12.3,
                "seeing": 0.71,
                "target_name": "BKH2005_08576nr408",
                "ra": 134.872365,
                "dec": -43.76717,
                "baselines": {"U1-U2": {"length": [55.904, 55.897], "angle": [3.3, 4.0]}},
                "validation_level": 1,
                "validation_log": [],
            },
        )
    ]
)
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
