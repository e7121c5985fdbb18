"""Cone search: q3c on PostgreSQL when installed, a portable fallback everywhere else.

The fallback narrows with the database (a declination band, and an RA window widened by
1/cos(dec), split in two across RA 0/360, dropped near a pole) and then keeps the rows within
the exact angular separation. Both answer the same rows; the tests check it at the wrap and
the poles.
"""

from __future__ import annotations

import math
from functools import cache

from django.db import connection
from django.db.models import Q, QuerySet

from lib.sky import separation


@cache
def q3c_available() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'q3c'")
        return cursor.fetchone() is not None


def cone(queryset: QuerySet, ra: float, dec: float, radius: float, *, method: str = "auto"):
    """The rows of ``queryset`` (with ``ra``/``dec`` columns, degrees) within ``radius``
    degrees of (ra, dec). ``method``: auto, q3c, fallback."""
    if method == "q3c" or (method == "auto" and q3c_available()):
        # The table's columns first, or q3c does not use its index; qualified, since a
        # joined table (the star) has ra and dec too.
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        return queryset.extra(  # noqa: S610 - a quoted table name, values as parameters
            where=[f"q3c_radial_query({table}.ra, {table}.dec, %s, %s, %s)"],
            params=[ra, dec, radius],
        )
    return queryset.filter(pk__in=_fallback_ids(queryset, ra % 360.0, dec, radius))


def _fallback_ids(queryset: QuerySet, ra: float, dec: float, radius: float) -> list[int]:
    low, high = max(-90.0, dec - radius), min(90.0, dec + radius)
    band = queryset.filter(dec__gte=low, dec__lte=high)
    if high < 90.0 and low > -90.0:
        # The widest RA offset of a point of the cone: asin(sin r / cos dec), with a margin
        # for rounding; the exact separation decides afterwards.
        ratio = math.sin(math.radians(radius)) / math.cos(math.radians(dec))
        half = math.degrees(math.asin(ratio)) * 1.000001 + 1e-9 if ratio < 1 else 180.0
        if half < 180.0:
            start, end = ra - half, ra + half
            if start < 0:
                window = Q(ra__gte=start + 360.0) | Q(ra__lte=end)
            elif end >= 360.0:
                window = Q(ra__gte=start) | Q(ra__lte=end - 360.0)
            else:
                window = Q(ra__gte=start, ra__lte=end)
            band = band.filter(window)
    return [
        pk
        for pk, row_ra, row_dec in band.values_list("pk", "ra", "dec").iterator(chunk_size=5000)
        if separation(ra, dec, row_ra, row_dec) <= radius
    ]
