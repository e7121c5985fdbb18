"""The REST API's pages: 100 rows unless ``page_size`` asks for 1 to 1000."""

from __future__ import annotations

from rest_framework import exceptions, pagination

from lib.numbers import whole_number


class Pagination(pagination.PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        """A page_size that is not a number from 1 to 1000 is an error, not silently 100."""
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        text = values[-1].strip()
        size = whole_number(text)
        if len(values) > 1 or size is None or not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError(
                {"page_size": [f"Give one whole number from 1 to {self.max_page_size}."]}
            )
        return size
