"""Rows per second of every export format, on the real catalogue and on 100,000 rows.

Real: the 2020 snapshot of the catalogue (../shared/jmdc/JMDC_full_20200730.csv, 1766 rows),
imported into the benchmark's database. Synthetic: the 100,000 SYNTHETIC rows of
bench.csv_export. Baseline, measured in the same run: reading the same rows from the
database without writing anything (the cost every format pays), so each format's figure is
also given as the share of its time spent formatting.
"""

from pathlib import Path

from django.conf import settings

from bench.csv_export import ROWS, make_rows, measure
from jmdc.formats.registry import FORMATS
from jmdc.importing.catalogue_file import import_catalogue
from jmdc.models import Measurement

REAL_FILE = Path(settings.SHARED_DATA_DIR) / "jmdc" / "JMDC_full_20200730.csv"


def size_of(body) -> int:
    return len(body) if isinstance(body, bytes) else sum(len(piece) for piece in body)


def bench(label: str, queryset, rows: int) -> None:
    fetch_s, _, _ = measure(lambda: sum(1 for _ in queryset.export_values()))
    print(f"{label}: {rows} rows; baseline (fetch only): {rows / fetch_s:,.0f} rows/s")
    for fmt in FORMATS.values():
        seconds, size, peak = measure(lambda fmt=fmt: size_of(fmt.render(queryset.export_values())))
        print(
            f"  {fmt.filename:<10} {rows / seconds:>10,.0f} rows/s  {size / 1e6:6.2f} MB  "
            f"peak {peak / 1e6:6.1f} MB  time x{seconds / fetch_s:5.1f} the fetch"
        )


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
