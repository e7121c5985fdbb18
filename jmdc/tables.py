from urllib.parse import quote

import django_tables2 as tables
from django.utils.html import format_html

from .models import Measurement


class NumberColumn(tables.Column):
    """A float as stored (repr), right-aligned; empty for null."""

    attrs = {"td": {"class": "num"}, "th": {"class": "num"}}

    def render(self, value):
        return repr(value)


class MeasurementTable(tables.Table):
    id1 = tables.Column(verbose_name="ID1", linkify=lambda record: record.star.get_absolute_url())
    id2 = tables.Column(verbose_name="ID2")
    ud_diam = NumberColumn(verbose_name="UD (mas)")
    ld_diam = NumberColumn(verbose_name="LD (mas)")
    e_ld_diam = NumberColumn(verbose_name="σ (mas)")
    band = tables.Column(verbose_name="Band")
    mu_lambda = NumberColumn(verbose_name="μλ")
    method = tables.Column(verbose_name="Method")
    bandcode = tables.Column(verbose_name="Band code")
    notes = tables.Column(verbose_name="Notes", attrs={"td": {"class": "notes"}})
    bibcode = tables.Column(verbose_name="Bibcode")
    sinpe = tables.BooleanColumn(verbose_name="SINPE", yesno="yes,")

    class Meta:
        model = Measurement
        fields = [
            "id1", "id2", "ud_diam", "ld_diam", "e_ld_diam", "band", "mu_lambda",
            "method", "bandcode", "notes", "bibcode", "sinpe",
        ]  # fmt: skip
        attrs = {"class": "catalogue"}
        empty_text = "No measurement matches this selection."
        default = ""
        order_by = ("id1",)

    def render_method(self, value, record):
        return format_html('<span title="{}">{}</span>', value, record.method)

    def render_bandcode(self, value, record):
        return format_html('<span title="{}">{}</span>', record.bandcode, value)

    def render_bibcode(self, value):
        # Pseudo-bibcodes (year and dots) have no ADS page.
        if value.strip(".").isdigit() or set(value) == {"."}:
            return value
        return format_html(
            '<a href="https://ui.adsabs.harvard.edu/abs/{}/abstract" rel="noopener">{}</a>',
            quote(value, safe=""),
            value,
        )
