from html import escape
from urllib.parse import quote, urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe

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
        template_name = "obsportal/exposure_table.html"

    # What rows_html reads of an exposure: the search loads these columns alone (the JSON
    # and text columns the answers need were most of the bytes read and decoded).
    READS = (
        "exp_id", "mjd_start", "mjd_end", "target_name", "star_id", "category", "instrument",
        "mode", "stations", "program", "tau0", "seeing",
    )  # fmt: skip

    def rows_html(self) -> SafeString:
        """The <tr> of every exposure of the current page, as django_tables2 writes them from
        the columns below: its per-cell machinery was ~90% of the search page's time. Each
        address from its prefix (one reverse() a page), each text escaped."""
        exposure_address = reverse("obsportal:exposure", args=["-"]).removesuffix("-")
        star_address = reverse("jmdc:star", args=[0]).removesuffix("0/")
        search_address = reverse("obsportal:search")
        rows = []
        for number, e in enumerate(row.record for row in self.page.object_list):
            # reverse() quotes an exp_id as this does (it keeps RFC 3986's sub-delimiters).
            link = escape(exposure_address + quote(e.exp_id, safe=RFC3986_SUBDELIMS + "/~:@"))
            target = escape(e.target_name)
            if e.target_name and e.star_id is not None:
                target = f'<a href="{star_address}{e.star_id}/">{target}</a>'
            program = escape(e.program)
            if e.program:
                query = escape(urlencode({"program_id": e.program}))
                program = f'<a href="{search_address}?{query}">{program}</a>'
            rows.append(
                f'<tr class="{"odd" if number % 2 else "even"}">'
                f'<td><span title="MJD {e.mjd_start}">{date_of_mjd(e.mjd_start):%Y-%m-%d %H:%M:%S}'
                f'</span></td><td><a href="{link}">{escape(e.exp_id)}</a></td><td>{target}</td>'
                f"<td>{escape(e.get_category_display())}</td><td>{escape(e.instrument)}</td>"
                f"<td>{escape(e.mode)}</td><td>{escape(e.stations)}</td><td>{program}</td>"
                f'<td class="num">{(e.mjd_end - e.mjd_start) * 86400:.1f}</td>'
                f'<td class="num">{_number(e.tau0_ms, 1)}</td>'
                f'<td class="num">{_number(e.seeing, 2)}</td></tr>'
            )
        return mark_safe("\n".join(rows))  # noqa: S308 - every text escaped above


def _number(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"
