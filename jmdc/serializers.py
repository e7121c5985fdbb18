"""How a catalogue row reads in JSON: the export and the REST API share these serializers, so a
script sees the same keys whichever it uses."""

from rest_framework import serializers

from .columns import COLUMNS, Column, Kind
from .models import CODE_CHOICES


def field_for(column: Column) -> serializers.Field:
    """The serializer field of a catalogue column, described in the API schema as the column
    table describes it."""
    about = {"help_text": column.help_text}
    if column.kind is Kind.TEXT:
        return serializers.CharField(allow_blank=not column.required, **about)
    if column.kind is Kind.REAL:
        return serializers.FloatField(allow_null=True, **about)
    if column.kind is Kind.CODE:
        return serializers.ChoiceField(choices=CODE_CHOICES[column.field], allow_null=True, **about)
    return serializers.BooleanField(**about)


# One field per column, named as the model names it (VizieR's ID1 is ``id1``), in export order.
CatalogueRowSerializer = serializers.SerializerMetaclass(
    "CatalogueRowSerializer",
    (serializers.Serializer,),
    {
        "__module__": __name__,
        "__doc__": "The 12 JMDC columns, named as the model names them (VizieR's ID1 is id1).",
        **{column.field: field_for(column) for column in COLUMNS},
    },
)
