"""The one FilterSet of the catalogue: the pages, the exports and the API use it alike, so
"the current selection" means the same everywhere."""

import django_filters
from django import forms
from django.db.models import Q

from .models import BandCode, Measurement, Method


class RawNullBooleanSelect(forms.NullBooleanSelect):
    def value_from_datadict(self, data, files, name):
        return data.get(name)  # the field decides, so that nonsense is an error, not "either"


class StrictNullBooleanField(forms.NullBooleanField):
    """Yes, no, or empty for either; anything else is an error rather than "either"."""

    widget = RawNullBooleanSelect

    TRUE, FALSE, EITHER = {"true"}, {"false"}, {"", "unknown"}  # as the page's select sends

    def to_python(self, value):
        text = str(value).strip().lower() if value is not None else ""
        if text in self.EITHER:
            return None
        if text in self.TRUE or value is True:
            return True
        if text in self.FALSE or value is False:
            return False
        raise forms.ValidationError(f"{value!r} is not true or false (or empty for either).")

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictNullBooleanField


class MeasurementFilter(django_filters.FilterSet):
    identifier = django_filters.CharFilter(
        method="filter_identifier",
        label="Star",
        help_text="Part of ID1 or ID2, blanks ignored (HD 360 finds HD360).",
    )
    bibcode = django_filters.CharFilter(lookup_expr="icontains", label="Bibcode")
    method = django_filters.TypedMultipleChoiceFilter(
        choices=Method.choices, coerce=int, widget=forms.CheckboxSelectMultiple, label="Method"
    )
    bandcode = django_filters.TypedMultipleChoiceFilter(
        choices=BandCode.choices, coerce=int, widget=forms.CheckboxSelectMultiple, label="Band code"
    )
    ud_diam = django_filters.RangeFilter(label="UD diameter (mas)")
    ld_diam = django_filters.RangeFilter(label="LD diameter (mas)")
    sinpe = StrictBooleanFilter(label="SINPE")

    class Meta:
        model = Measurement
        fields = ["identifier", "bibcode", "method", "bandcode", "ud_diam", "ld_diam", "sinpe"]

    def filter_identifier(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        compact = "".join(value.split())
        return queryset.filter(
            Q(id1__icontains=value)
            | Q(id2__icontains=value)
            | Q(id1__icontains=compact)
            | Q(star__name__icontains=value)
        )
