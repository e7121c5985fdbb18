"""The one search of the exposures: the HTML page, its VOTable download and the clients'
``/search.votable`` read the same parameters, so a selection means the same everywhere.

Parameter names are the clients': Aspro2's ``ra``/``dec``/``radius`` (degrees, degrees,
arcseconds), OiDB's ``interferometer``, ``instrument`` (a prefix), ``date_updated_from``/``_to``
and ``program_id``. The page adds the target name, the type and the night range.
"""

from __future__ import annotations

import datetime
import math

import django_filters
from astropy import units
from astropy.coordinates import Angle
from django import forms
from django.db.models import Q, Value
from django.db.models.functions import Replace, Upper

from jmdc.filters import IdFilter, TextFilter, check_filter_text
from jmdc.models import StarAlias

from .cone import cone
from .models import Exposure

MJD_ZERO = datetime.date(1858, 11, 17)
DEFAULT_RADIUS_ARCSEC = 30.0  # Aspro2's radius, used when a position comes without one
MAX_RADIUS_ARCSEC = 36000.0  # 10 degrees: enough for any field, not the whole sky
INSTRUMENTS = ["GRAVITY", "PIONIER", "MATISSE", "AMBER", "MIDI", "SPICA"]


def mjd_of(day: datetime.date) -> float:
    return float((day - MJD_ZERO).days)


def date_of_mjd(mjd: float) -> datetime.datetime:
    return datetime.datetime(1858, 11, 17, tzinfo=datetime.UTC) + datetime.timedelta(days=mjd)


class AngleField(forms.CharField):
    """An angle in decimal degrees (``1.0E-4`` as Java writes it), or sexagesimal:
    ``05 16 41.36`` / ``05:16:41.36`` / ``5h16m41.36s`` for RA, ``+45 59 52.8`` for Dec."""

    def __init__(self, *, hours_if_sexagesimal: bool, low: float, high: float, **kwargs):
        self.hours, self.low, self.high = hours_if_sexagesimal, low, high
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        text = check_filter_text(super().clean(value).strip())
        if not text:
            return None
        try:
            degrees = float(text)
        except ValueError:
            unit = units.hourangle if self.hours else units.deg
            try:
                degrees = Angle(text.replace(":", " "), unit=unit).degree
            except (ValueError, units.UnitsError):
                # The typed text goes in as a parameter: a "%" in it must not be formatted.
                raise forms.ValidationError(
                    "%(text)r is not an angle: give decimal degrees (83.6) or sexagesimal "
                    "(%(example)s)",
                    params={"text": text, "example": "05 34 31.9" if self.hours else "+22 00 52"},
                ) from None
        if not math.isfinite(degrees) or not self.low <= degrees <= self.high:
            raise forms.ValidationError(
                "%(text)s is outside %(low)g..%(high)g degrees",
                params={"text": text, "low": self.low, "high": self.high},
            )
        return float(degrees)


class UpdateDateField(forms.CharField):
    """An ISO date and time as OiDB sends it (``2024-01-31T00:00:00+00:00``); UTC if naive."""

    def clean(self, value):
        text = check_filter_text((super().clean(value) or "").strip())
        if not text:
            return None
        if "T" in text:  # an unencoded "+00:00" in a query string arrives as " 00:00"
            text = text.replace(" ", "+")
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError(
                "%(text)r is not an ISO date (2024-01-31T00:00:00+00:00)", params={"text": text}
            ) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


class ExposureSearchForm(forms.Form):
    def clean(self):
        super().clean()
        data = self.cleaned_data
        has_ra, has_dec = data.get("ra") is not None, data.get("dec") is not None
        if has_ra != has_dec and not {"ra", "dec"} & set(self.errors):
            self.add_error("dec" if has_ra else "ra", "give both ra and dec, or neither")
        return data


class AngleFilter(django_filters.Filter):
    field_class = AngleField

    def filter(self, qs, value):  # the cone needs ra, dec and radius together: see qs
        return qs


class UpdateDateFilter(django_filters.Filter):
    field_class = UpdateDateField


class ExposureFilter(django_filters.FilterSet):
    target = TextFilter(
        method="filter_target",
        label="Target",
        help_text="Name in the header or SIMBAD identifier; blanks and _ ignored.",
    )
    ra = AngleFilter(label="RA", hours_if_sexagesimal=True, low=-360.0, high=360.0,
                     help_text="Degrees, or hh mm ss.")  # fmt: skip
    dec = AngleFilter(label="Dec", hours_if_sexagesimal=False, low=-90.0, high=90.0,
                      help_text="Degrees, or ±dd mm ss.")  # fmt: skip
    radius = django_filters.NumberFilter(
        method="filter_nothing",
        label="Radius (arcsec)",
        min_value=0,
        max_value=MAX_RADIUS_ARCSEC,
        help_text=f'Around RA/Dec; {DEFAULT_RADIUS_ARCSEC:g}" when empty.',
    )
    instrument = TextFilter(
        field_name="instrument",
        lookup_expr="istartswith",
        label="Instrument",
        widget=forms.Select(choices=[("", "any"), *((i, i) for i in INSTRUMENTS)]),
    )
    category = django_filters.ChoiceFilter(
        choices=Exposure.Category.choices, label="Type", empty_label="any"
    )
    program_id = TextFilter(
        field_name="program",
        lookup_expr="istartswith",
        label="Programme",
        help_text="0104.C-0567 finds (A), (B)…",
    )
    date_from = django_filters.DateFilter(
        method="filter_night_from", label="From (UT date)", widget=forms.DateInput({"type": "date"})
    )
    date_to = django_filters.DateFilter(
        method="filter_night_to", label="To (UT date)", widget=forms.DateInput({"type": "date"})
    )
    interferometer = TextFilter(
        field_name="interferometer", lookup_expr="iexact", help_text="VLTI, CHARA (OiDB's filter)."
    )
    date_updated_from = UpdateDateFilter(
        field_name="date_updated", lookup_expr="gte",
        help_text="Changed in the portal at or after (ISO, UTC if no zone): OiDB's harvest.",
    )  # fmt: skip
    date_updated_to = UpdateDateFilter(
        field_name="date_updated", lookup_expr="lt", help_text="Changed in the portal before."
    )
    star = IdFilter(
        field_name="star_id", widget=forms.HiddenInput, help_text="The exposures of this star id."
    )

    class Meta:
        model = Exposure
        fields: list[str] = []
        form = ExposureSearchForm

    # Filters the page does not show (the clients' harvest parameters, the star page's link).
    HIDDEN = ("interferometer", "date_updated_from", "date_updated_to", "star")

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_target(self, queryset, name, value):
        squashed = "".join(value.replace("_", " ").split()).upper()
        if not squashed:
            return queryset
        header_name = Replace(
            Replace(Upper("target_name"), Value(" "), Value("")), Value("_"), Value("")
        )
        aliases = StarAlias.objects.filter(name__icontains=value.strip()).values("star_id")
        return queryset.annotate(_squashed=header_name).filter(
            Q(_squashed__contains=squashed)
            | Q(star__main_id__icontains=value.strip())
            | Q(star__name__icontains=value.strip())
            | Q(star_id__in=aliases)
        )

    def filter_night_from(self, queryset, name, value):
        return queryset.filter(mjd_start__gte=mjd_of(value))

    def filter_night_to(self, queryset, name, value):
        return queryset.filter(mjd_start__lt=mjd_of(value) + 1)  # the whole day included

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if data.get("ra") is not None and data.get("dec") is not None:
            radius = data.get("radius")
            radius = DEFAULT_RADIUS_ARCSEC if radius is None else float(radius)
            queryset = cone(queryset, data["ra"], data["dec"], radius / 3600.0)
        return queryset

    def error_text(self) -> str:
        """The form's errors on one line, each named by its parameter."""
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in self.form.errors.items()
        )
