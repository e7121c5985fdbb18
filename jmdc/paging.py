"""Rows per page of the portal's tables, bounded wherever a table reads ``?per_page=``.

django_tables2's RequestConfig reads ``per_page`` from the query string itself and passes any
integer to the paginator: ``-5`` was a 500 and ``1000000000`` rendered the whole table. Views
showing a table use ``BoundedTableMixin``, which lets RequestConfig sort and paginates itself
with a per_page clamped into settings.TABLE_PER_PAGE_MIN..TABLE_PER_PAGE_MAX.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger
from django_tables2 import RequestConfig
from django_tables2.views import SingleTableMixin


def bounded_per_page(text: str | None, default: int) -> int:
    """The rows per page asked for, clamped into the allowed range; the default when absent
    or not a whole number."""
    low, high = settings.TABLE_PER_PAGE_MIN, settings.TABLE_PER_PAGE_MAX
    try:
        asked = int((text or "").strip())
    except ValueError:
        return default
    return min(max(asked, low), high)


class BoundedTableMixin(SingleTableMixin):
    """SingleTableMixin whose pages have between TABLE_PER_PAGE_MIN and _MAX rows."""

    default_per_page = 50

    def get_table(self, **kwargs):
        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        RequestConfig(self.request, paginate=False).configure(table)  # sorting only
        query = self.request.GET
        per_page = bounded_per_page(query.get(table.prefixed_per_page_field), self.default_per_page)
        try:
            table.paginate(page=query.get(table.prefixed_page_field, 1), per_page=per_page)
        except PageNotAnInteger:
            table.paginate(page=1, per_page=per_page)
        except EmptyPage:  # beyond the last page: the last one, as RequestConfig does
            table.page = table.paginator.page(table.paginator.num_pages)
        return table
