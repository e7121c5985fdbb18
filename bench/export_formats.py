"""Rows per second of every export format, on the real catalogue and on 100,000 rows.

Real: the 2020 snapshot of the catalogue (../shared/jmdc/JMDC_full_20200730.csv, 1766 rows),
imported into the benchmark's database. Synthetic: the 100,000 SYNTHETIC rows of
bench.csv_export. Baseline, measured in the same run: reading the same rows from the
database without writing anything (the cost every format pays), so each format's figure is
also given as the share of its time spent formatting.

Each format is written as a download is (``jmdc.exports.export_rows`` and ``write_export``, the
path of the views): on PostgreSQL the CSV and VOTable rows are the database's own text
(lib/sql_rows.py), so that is what is measured there.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import QueryDict

from bench.csv_export import ROWS, make_rows, measure
from jmdc.exports import export_rows, write_export
from jmdc.formats.registry import FORMATS
from jmdc.importing.catalogue_file import import_catalogue
from jmdc.models import Measurement

REAL_FILE = Path(settings.SHARED_DATA_DIR) / "jmdc" / "JMDC_full_20200730.csv"


def size_of(body) -> int:
    return len(body) if isinstance(body, bytes) else sum(len(piece) for piece in body)


def bench(label: str, queryset, rows: int) -> None:
    query = QueryDict()
    fetch_s, _, _ = measure(lambda: sum(1 for _ in export_rows(queryset, query)))
    print(f"{label}: {rows:,} rows ({connection.vendor}); "
          f"baseline (the bare fetch of the same rows): {rows / fetch_s:,.0f} rows/s")  # fmt: skip
    for fmt in FORMATS.values():
        # A format written whole in memory (the PDF) serves at most request_max_rows rows a
        # request, more in a task: measured on that many, against the fetch's time for them.
        count = min(rows, fmt.request_max_rows or rows)
        chosen = queryset if count == rows else queryset.filter(pk__in=_first_pks(queryset, count))

        def written(fmt=fmt, chosen=chosen) -> int:
            return size_of(write_export(fmt, export_rows(chosen, query), query, AnonymousUser()))

        seconds, size, peak = measure(written)
        note = "" if count == rows else f" (on {count:,} rows, its largest request)"
        print(
            f"  {fmt.filename:<10} {count / seconds:>10,.0f} rows/s  {size / 1e6:6.2f} MB  "
            f"peak {peak / 1e6:6.1f} MB  time x{seconds / (fetch_s * count / rows):5.1f} the fetch{note}"
        )


def _first_pks(queryset, count: int) -> list[int]:
    return list(queryset.in_export_order().values_list("pk", flat=True)[:count])


def run() -> None:
    if REAL_FILE.is_file():
        if not Measurement.objects.filter(import_run__isnull=False).exists():
            import_catalogue(REAL_FILE)
        real = Measurement.objects.filter(import_run__isnull=False)
        bench("real catalogue (2020 snapshot)", real, real.count())
    else:
        print(f"real catalogue: skipped, {REAL_FILE} is not there")
    make_rows()
    synthetic = Measurement.objects.filter(import_run__isnull=True)
    assert synthetic.count() == ROWS
    bench("synthetic rows", synthetic, ROWS)
