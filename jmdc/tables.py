"""The catalogue table. django_tables2 gives its headers (sorting) and pagination; the rows of
a page are written by `MeasurementTable.rows_html`, one format string per row, since the
per-cell machinery of django_tables2 cost about 90% of the page's time (bench/load.py)."""

from functools import cache, lru_cache
from html import escape

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .columns import CATALOGUE_FIELDS, COLUMNS, Column, Kind
from .models import BandCode, Measurement, Method
from .outside_links import ads_abstract


def header_help_id(column: Column) -> str:
    """The id of the hidden text that describes a column's header to screen readers."""
    return f"about-{column.field}"


def header_column(column: Column) -> tables.Column:
    """The header of a catalogue column, from the column table: its description as the
    header's help (a tooltip for the mouse, an accessible description for a screen reader,
    which does not read titles reliably); numbers are right-aligned."""
    attrs = {"title": column.help_text, "aria-describedby": header_help_id(column)}
    if column.kind is Kind.REAL:
        attrs["class"] = "num"
    return tables.Column(verbose_name=column.header, attrs={"th": attrs})


class CatalogueTable(tables.Table):
    """The sorting, the pagination and the rows of the catalogue table; its columns, one per
    catalogue column, are added from the column table below."""

    class Meta:
        model = Measurement
        fields = CATALOGUE_FIELDS
        template_name = "jmdc/measurement_table.html"
        attrs = {"class": "catalogue"}
        empty_text = "No measurement matches this selection."
        default = ""
        order_by = ("id1",)

    @property
    def column_help(self) -> list[tuple[str, str]]:
        """(id, text) of each header's description, written hidden under the table."""
        return [(header_help_id(column), column.help_text) for column in COLUMNS]

    def rows_html(self) -> SafeString:
        """The <tr> of every measurement of the current page, as django_tables2 would write
        them: cells in column order, numbers right-aligned as stored, empty for null."""
        # One reverse() each for the page rather than two a row: /star/<pk>/ and
        # /measurement/<pk>/ by their prefixes; METHOD and BANDCODE cells from a few codes.
        star_address = reverse("jmdc:star", args=[0]).removesuffix("0/")
        row_address = reverse("jmdc:measurement", args=[0]).removesuffix("0/")
        rows = []
        for number, m in enumerate(row.record for row in self.page.object_list):
            id1 = escape(m.id1)
            rows.append(
                f'<tr class="{"odd" if number % 2 else "even"}"><td><a href="{star_address}'
                f'{m.star_id}/">{id1}</a> <a class="row-link" href="{row_address}{m.pk}/" '
                f'aria-label="Measurement {m.pk} of {id1}: its page and history" '
                f'title="This row\'s page and history"></a></td><td>{escape(m.id2)}</td>'
                f'<td class="num">{number_cell(m.ud_diam)}</td>'
                f'<td class="num">{number_cell(m.ld_diam)}</td>'
                f'<td class="num">{number_cell(m.e_ld_diam)}</td><td>{escape(m.band)}</td>'
                f'<td class="num">{number_cell(m.mu_lambda)}</td><td>{_method_cell(m.method)}'
                f"</td><td>{_bandcode_cell(m.bandcode)}</td>"
                f'<td class="notes">{escape(m.notes)}</td><td>{bibcode_cell(m.bibcode)}</td>'
                f'<td><span class="{"true" if m.sinpe else "false"}">'
                f"{'yes' if m.sinpe else 'no'}</span></td></tr>"
            )
        return mark_safe("\n".join(rows))  # noqa: S308 - every text escaped above


MeasurementTable = type(CatalogueTable)(
    "MeasurementTable",
    (CatalogueTable,),
    {
        "__module__": __name__,
        "__doc__": "The catalogue table: the headers and their sorting, the rows of a page.",
        "Meta": CatalogueTable.Meta,
        **{column.field: header_column(column) for column in COLUMNS},
    },
)


def measurement_cells(m) -> SafeString:
    """The cells of a measurement row from ID2 to SINPE, as the catalogue table writes them, for
    the pages that show rows outside it (the star page, a submission's rows): ``m`` is a
    Measurement or a SubmissionRow (the same field names). One f-string, each value escaped as
    format_html escapes it (a safe cell as it is, any other value as text): as a template
    included per row, they were a third of the star page's time, and format_html's escaping of
    twelve arguments a row still a twentieth."""
    return mark_safe(  # noqa: S308 - every value escaped here, the safe cells written safe
        f'<td>{escape(str(m.id2))}</td><td class="num">{escape(number_cell(m.ud_diam))}</td>'
        f'<td class="num">{escape(number_cell(m.ld_diam))}</td>'
        f'<td class="num">{escape(number_cell(m.e_ld_diam))}</td>\n'
        f'<td>{escape(str(m.band))}</td><td class="num">{escape(number_cell(m.mu_lambda))}</td>'
        f"<td>{conditional_escape(method_cell(m))}</td>"
        f"<td>{conditional_escape(bandcode_cell(m))}</td>\n"
        f'<td class="notes">{escape(str(m.notes))}</td>'
        f"<td>{conditional_escape(bibcode_cell(m.bibcode))}</td>"
        f'<td><span class="{"true" if m.sinpe else "false"}">{"yes" if m.sinpe else ""}</span></td>'
    )


def star_rows_html(measurements) -> SafeString:
    """The star page's rows: each measurement's cells and a last cell opening its page, as the
    template's loop wrote them (its line breaks included), with the addresses from their
    prefix: a ``reverse()`` and a template tag per row were a fifth of the page."""
    row_address = reverse("jmdc:measurement", args=[0]).removesuffix("0/")
    return mark_safe(  # noqa: S308 - measurement_cells escapes; the rest are numbers
        "".join(
            f'\n    <tr>{measurement_cells(m)}<td><a href="{row_address}{m.pk}/" '
            f'aria-label="Measurement {m.pk}: its page and history">row {m.pk}</a></td></tr>\n  '
            for m in measurements
        )
    )


def number_cell(value) -> str:
    return "" if value is None else repr(value)


def method_cell(m) -> SafeString | str:
    return _method_cell(m.method)


def bandcode_cell(m) -> SafeString | str:
    return _bandcode_cell(m.bandcode)


METHOD_LABELS, BANDCODE_LABELS = dict(Method.choices), dict(BandCode.choices)


# A cell per code, written once: the catalogue has a few codes and thousands of rows.
@cache
def _method_cell(code: int | None) -> SafeString | str:
    if code is None:
        return ""
    return format_html('<span title="{}">{}</span>', METHOD_LABELS.get(code, code), code)


@cache
def _bandcode_cell(code: int | None) -> SafeString | str:
    if code is None:
        return ""
    return format_html('<span title="{}">{}</span>', code, BANDCODE_LABELS.get(code, code))


# A bibcode's cell depends on the bibcode alone; the catalogue cites a few hundred, each on many
# rows and twice on the star page (its row and its reference). Bounded: submissions bring more.
@lru_cache(maxsize=4096)
def bibcode_cell(value: str) -> SafeString | str:
    ads = ads_abstract(value)
    if ads is None:  # a pseudo-bibcode: no ADS page
        return value
    return format_html('<a href="{}" rel="noopener">{}</a>', ads.url, value)
