from urllib.parse import urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from .filters import date_of_mjd
from .models import Exposure


class OptionalNumberColumn(tables.Column):
    attrs = {"td": {"class": "num"}, "th": {"class": "num"}}

    def __init__(self, *args, digits: int = 2, **kwargs):
        self.digits = digits
        super().__init__(*args, **kwargs)

    def render(self, value):
        return f"{value:.{self.digits}f}"


class ExposureTable(tables.Table):
    mjd_start = tables.Column(verbose_name="Start (UT)")
    exp_id = tables.Column(verbose_name="Exposure", linkify=True)
    target_name = tables.Column(verbose_name="Target")
    category = tables.Column(verbose_name="Type")
    instrument = tables.Column(verbose_name="Instrument")
    mode = tables.Column(verbose_name="Mode")
    stations = tables.Column(verbose_name="Stations", orderable=False)
    program = tables.Column(verbose_name="Programme")
    duration = OptionalNumberColumn(
        verbose_name="Length (s)", accessor="mjd_end", orderable=False, digits=1
    )
    tau0 = OptionalNumberColumn(
        verbose_name="τ0 (ms)", accessor="tau0_ms", order_by="tau0", digits=1
    )
    seeing = OptionalNumberColumn(verbose_name="Seeing (″)", digits=2)

    class Meta:
        model = Exposure
        fields = [
            "mjd_start", "exp_id", "target_name", "category", "instrument", "mode",
            "stations", "program", "duration", "tau0", "seeing",
        ]  # fmt: skip
        attrs = {"class": "catalogue"}
        empty_text = "No exposure matches this search."
        default = ""
        order_by = ("-mjd_start",)

    def render_mjd_start(self, value):
        return format_html(
            '<span title="MJD {}">{}</span>', value, f"{date_of_mjd(value):%Y-%m-%d %H:%M:%S}"
        )

    def render_duration(self, value, record):
        return f"{(record.mjd_end - record.mjd_start) * 86400:.1f}"

    def render_target_name(self, value, record):
        if record.star_id is None:
            return value
        return format_html('<a href="{}">{}</a>', record.star.get_absolute_url(), value)

    def render_program(self, value):
        url = reverse("obsportal:search") + "?" + urlencode({"program_id": value})
        return format_html('<a href="{}">{}</a>', url, value)
