"""The catalogue table. django_tables2 gives its headers (sorting) and pagination; the rows of
a page are written by `MeasurementTable.rows_html`, one format string per row, since the
per-cell machinery of django_tables2 cost about 90% of the page's time (bench/load.py)."""

from urllib.parse import quote

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .models import Measurement


class NumberColumn(tables.Column):
    """A number's header, right-aligned like its cells (`number_cell`)."""

    attrs = {"th": {"class": "num"}}


class MeasurementTable(tables.Table):
    """The headers and their sorting; the cells are written by `rows_html` below."""

    id1 = tables.Column(verbose_name="ID1")
    id2 = tables.Column(verbose_name="ID2")
    ud_diam = NumberColumn(verbose_name="UD (mas)")
    ld_diam = NumberColumn(verbose_name="LD (mas)")
    e_ld_diam = NumberColumn(verbose_name="σ (mas)")
    band = tables.Column(verbose_name="Band")
    mu_lambda = NumberColumn(verbose_name="μλ")
    method = tables.Column(verbose_name="Method")
    bandcode = tables.Column(verbose_name="Band code")
    notes = tables.Column(verbose_name="Notes")
    bibcode = tables.Column(verbose_name="Bibcode")
    sinpe = tables.Column(verbose_name="SINPE")

    class Meta:
        model = Measurement
        fields = [
            "id1", "id2", "ud_diam", "ld_diam", "e_ld_diam", "band", "mu_lambda",
            "method", "bandcode", "notes", "bibcode", "sinpe",
        ]  # fmt: skip
        template_name = "jmdc/measurement_table.html"
        attrs = {"class": "catalogue"}
        empty_text = "No measurement matches this selection."
        default = ""
        order_by = ("id1",)

    def rows_html(self) -> SafeString:
        """The <tr> of every measurement of the current page, as django_tables2 would write
        them: cells in column order, numbers right-aligned as stored, empty for null."""
        return format_html_join(
            "\n",
            '<tr class="{}"><td><a href="{}">{}</a></td><td>{}</td><td class="num">{}</td>'
            '<td class="num">{}</td><td class="num">{}</td><td>{}</td><td class="num">{}</td>'
            '<td>{}</td><td>{}</td><td class="notes">{}</td><td>{}</td><td><span class="{}">{}</span></td></tr>',
            (
                (
                    "odd" if number % 2 else "even",
                    m.star.get_absolute_url(),
                    m.id1,
                    m.id2,
                    number_cell(m.ud_diam),
                    number_cell(m.ld_diam),
                    number_cell(m.e_ld_diam),
                    m.band,
                    number_cell(m.mu_lambda),
                    method_cell(m),
                    bandcode_cell(m),
                    m.notes,
                    bibcode_cell(m.bibcode),
                    "true" if m.sinpe else "false",
                    "yes" if m.sinpe else "",
                )
                for number, m in enumerate(row.record for row in self.page.object_list)
            ),
        )


def number_cell(value) -> str:
    return "" if value is None else repr(value)


def method_cell(m) -> SafeString | str:
    if m.method is None:
        return ""
    return format_html('<span title="{}">{}</span>', m.get_method_display(), m.method)


def bandcode_cell(m) -> SafeString | str:
    if m.bandcode is None:
        return ""
    return format_html('<span title="{}">{}</span>', m.bandcode, m.get_bandcode_display())


def bibcode_cell(value: str) -> SafeString | str:
    # Pseudo-bibcodes (year and dots) have no ADS page.
    if not value or value.strip(".").isdigit() or set(value) == {"."}:
        return value
    return format_html(
        '<a href="https://ui.adsabs.harvard.edu/abs/{}/abstract" rel="noopener">{}</a>',
        quote(value, safe=""),
        value,
    )
