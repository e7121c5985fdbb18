"""How a catalogue row reads in JSON: the export and the REST API share these serializers, so a
script sees the same keys whichever it uses."""

from rest_framework import serializers

from .models import BandCode, Method


class CatalogueRowSerializer(serializers.Serializer):
    """The 12 JMDC columns, named as the model names them (VizieR's ID1 is ``id1``)."""

    id1 = serializers.CharField(help_text="Normalised star name, HD preferred (ID1).")
    id2 = serializers.CharField(allow_blank=True, help_text="Name used in the publication (ID2).")
    ud_diam = serializers.FloatField(allow_null=True, help_text="Uniform-disk diameter, mas.")
    ld_diam = serializers.FloatField(allow_null=True, help_text="Limb-darkened diameter, mas.")
    e_ld_diam = serializers.FloatField(allow_null=True, help_text="Error on UD and LD, mas.")
    band = serializers.CharField(allow_blank=True, help_text="Band letter or wavelength.")
    mu_lambda = serializers.FloatField(
        allow_null=True,
        help_text="< 1: linear limb-darkening coefficient; >= 1: the LD/UD ratio itself.",
    )
    method = serializers.ChoiceField(
        choices=Method.choices,
        allow_null=True,
        help_text="1 optical interf., 2 lunar occ., 3 intensity interf.",
    )
    bandcode = serializers.ChoiceField(
        choices=BandCode.choices, allow_null=True, help_text="1..12 for U B V R I J H K L M N Q."
    )
    notes = serializers.CharField(allow_blank=True)
    bibcode = serializers.CharField(help_text="ADS bibcode, or the year and dots.")
    sinpe = serializers.BooleanField(help_text="SIMBAD identifier not precise enough.")
