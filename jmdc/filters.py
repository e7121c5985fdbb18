"""The one FilterSet of the catalogue: the pages, the exports and the API use it alike, so
"the current selection" means the same everywhere."""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q, Value
from django.db.models.functions import Lower, Replace
from django_filters.widgets import RangeWidget

from lib.numbers import MAX_ROW_ID

from .models import BandCode, Measurement, Method, StarAlias, designation_of


class RawNullBooleanSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        # Django's "Unknown" reads as "SINPE not known"; the choice means rows of either kind.
        self.choices = [("unknown", "Any"), ("true", "Yes"), ("false", "No")]

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
        raise forms.ValidationError(
            "%(value)r is not true or false (or empty for either).", params={"value": value}
        )

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictNullBooleanField


def check_filter_text(text: str) -> str:
    """A filter text within settings.FILTER_TEXT_MAX_CHARS (a 60,000-character LIKE pattern
    was a 500 on SQLite); read at each request so that an operator can change it."""
    limit = settings.FILTER_TEXT_MAX_CHARS
    if text and len(text) > limit:
        raise forms.ValidationError(f"Give at most {limit} characters (this text has {len(text)}).")
    return text


class BoundedCharField(forms.CharField):
    def clean(self, value):
        return check_filter_text(super().clean(value))


class TextFilter(django_filters.CharFilter):
    """A text filter whose text has a bounded length (a form error, an API 400 naming it)."""

    field_class = BoundedCharField


class IdField(forms.IntegerField):
    """A row id: a whole number the database can hold (a 64-bit key), else a form error."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ROW_ID)
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.Filter):
    """Rows of one related object by its id (e.g. the exposures of a star)."""

    field_class = IdField


class NamedRangeWidget(RangeWidget):
    """The two inputs of a range, each with its own name for screen readers: the legend of
    the fieldset names the pair, not which end each input is."""

    def __init__(self, what: str, attrs=None):
        super().__init__(attrs)
        for widget, end in zip(self.widgets, ("at least", "at most"), strict=True):
            widget.attrs.update({"aria-label": f"{what}, {end}", "inputmode": "decimal"})


class MeasurementFilter(django_filters.FilterSet):
    identifier = TextFilter(
        method="filter_identifier",
        label="Star",
        help_text=(
            "Part of ID1 or ID2, blanks and case ignored, or the same catalogue designation "
            "(HD 360 finds HD360 and hd 0360)."
        ),
    )
    bibcode = TextFilter(lookup_expr="icontains", label="Bibcode")
    method = django_filters.TypedMultipleChoiceFilter(
        choices=Method.choices, coerce=int, widget=forms.CheckboxSelectMultiple, label="Method"
    )
    bandcode = django_filters.TypedMultipleChoiceFilter(
        choices=BandCode.choices, coerce=int, widget=forms.CheckboxSelectMultiple, label="Band code"
    )
    ud_diam = django_filters.RangeFilter(
        label="UD diameter (mas)", widget=NamedRangeWidget("UD diameter in mas")
    )
    ld_diam = django_filters.RangeFilter(
        label="LD diameter (mas)", widget=NamedRangeWidget("LD diameter in mas")
    )
    sinpe = StrictBooleanFilter(label="SINPE")
    # The star page's exports: exactly one star's rows, which no text of its names can select
    # (HD 1 is part of HD 10 and HD 100). Hidden: the catalogue's sidebar does not offer it.
    star = IdFilter(
        field_name="star_id",
        widget=forms.HiddenInput,
        help_text="The measurements of this star id.",
    )

    class Meta:
        model = Measurement
        fields = ["identifier", "bibcode", "method", "bandcode", "ud_diam", "ld_diam", "sinpe"]

    def filter_identifier(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        compact = "".join(value.split()).lower()
        found = (
            Q(id1__icontains=value)
            | Q(id2__icontains=value)
            | Q(star__name__icontains=value)
            # Blanks ignored both ways: HD10700 finds "HD 10700" and HD 10700 finds "HD10700".
            | Q(id1_compact__contains=compact)
            | Q(id2_compact__contains=compact)
        )
        designation = designation_of(value)
        if designation:
            # The same star however it is written (hd 010700, ALF LYR for alf Lyr): by the
            # canonical designation of its name, or of a name it was merged with.
            found |= Q(star__designation=designation) | Q(
                star__in=StarAlias.objects.filter(designation=designation).values("star_id")
            )
        return queryset.alias(
            id1_compact=Replace(Lower("id1"), Value(" "), Value("")),
            id2_compact=Replace(Lower("id2"), Value(" "), Value("")),
        ).filter(found)
