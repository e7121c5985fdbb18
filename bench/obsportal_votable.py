"""ObsPortal's answer to OiDB (all fields) on 300,000 SYNTHETIC exposures: our streaming
TABLEDATA writer vs astropy's VOTable writer (what the original service used, ~70 s), on the
same rows read the same way, and on PostgreSQL vs the database's own
``COPY (SELECT the same columns ORDER BY mjd_start) TO STDOUT CSV`` (the floor: the rows
leaving the database with no formatting of ours). Each runs in its own child process for a
fair peak memory; ours and COPY RUNS times (medians), astropy once (a minute)."""

import io
import os
import statistics
import zlib

import numpy as np
from astropy.table import MaskedColumn, Table
from django.db import connection

from bench.obsportal_data import EXPOSURES, ensure_exposures, in_child
from obsportal.models import Exposure
from obsportal.votable_answers import COLUMNS, answer_rows, search_votable


def ours() -> int:
    body = search_votable(Exposure.objects.all(), all_fields=True, last_mod_date="")
    return sum(len(piece) for piece in body)


class _Counter:
    size = 0

    def write(self, data) -> None:
        self.size += len(data)


def copy_csv() -> int:
    """The same columns as the answer, leaving PostgreSQL as CSV by its own COPY."""
    names = ", ".join(
        c.source if isinstance(c.source, str) else "validation_log::text" for c in COLUMNS
    )
    out = _Counter()
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY (SELECT {names} FROM obsportal_exposure "  # noqa: S608
            "ORDER BY mjd_start, id) TO STDOUT CSV",
            out,
        )
    return out.size


def gzipped(level: int):
    def produce() -> int:
        body = search_votable(Exposure.objects.all(), all_fields=True, last_mod_date="")
        packer = zlib.compressobj(level, wbits=31)
        size = 0
        for piece in body:
            size += len(packer.compress(piece if isinstance(piece, bytes) else piece.encode()))
        return size + len(packer.flush())

    return produce


RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def median_of(produce) -> tuple[float, object, float]:
    runs = [in_child(produce) for _ in range(RUNS)]
    return (
        statistics.median(r[0] for r in runs),
        runs[0][1],
        statistics.median(r[2] for r in runs),
    )


def astropy_writer() -> int:
    rows = list(answer_rows(Exposure.objects.all(), COLUMNS))  # the same cells as ours
    table = Table()
    for index, column in enumerate(COLUMNS):
        values = [row[index] for row in rows]
        if column.field.datatype == "double":
            table[column.field.name] = np.array([np.nan if v is None else v for v in values])
        elif column.field.datatype == "int":
            mask = [v is None for v in values]
            filled = [0 if m else v for v, m in zip(values, mask, strict=True)]
            table[column.field.name] = MaskedColumn(filled, mask=mask)
        else:
            table[column.field.name] = values
    out = io.BytesIO()
    table.write(out, format="votable", tabledata_format="tabledata")
    return len(out.getvalue())


def run() -> None:
    ensure_exposures()
    ours()  # warm the database cache for both
    print(f"({connection.vendor}; load average {os.getloadavg()[0]:.2f}; medians of {RUNS} runs)")
    ours_s, ours_size, ours_mb = median_of(ours)
    if connection.vendor == "postgresql":
        copy_s, copy_size, _ = median_of(copy_csv)
        print(f"baseline (COPY ... TO STDOUT CSV, same columns and order): {copy_s:.2f} s, "
              f"{copy_size / 1e6:.0f} MB; ours/COPY: {ours_s / copy_s:.2f}x (goal <= 1.3x)")  # fmt: skip
        for level in (1, 6):
            gz_s, gz_size, gz_mb = median_of(gzipped(level))
            print(f"ours gzipped at level {level}: {gz_s:.2f} s ({gz_s / ours_s:.2f}x ours), "
                  f"{gz_size / 1e6:.0f} MB, peak memory +{gz_mb:.0f} MB")  # fmt: skip
    astro_s, astro_size, astro_mb = in_child(astropy_writer)
    print(f"rows: {EXPOSURES:,} (synthetic), {len(COLUMNS)} fields (all_fields=true); "
          f"output {ours_size / 1e6:.0f} MB ours, {astro_size / 1e6:.0f} MB astropy")  # fmt: skip
    print(f"ours (streamed TABLEDATA): {ours_s:.1f} s, {EXPOSURES / ours_s:,.0f} rows/s, "
          f"peak memory +{ours_mb:.0f} MB")  # fmt: skip
    print(f"baseline (astropy Table.write votable): {astro_s:.1f} s, "
          f"{EXPOSURES / astro_s:,.0f} rows/s, peak memory +{astro_mb:.0f} MB")  # fmt: skip
    goal = 15 if connection.vendor == "postgresql" else 10
    print(f"speed ratio ours/astropy: {astro_s / ours_s:.1f}x (goal >= {goal}x); peak memory ratio: "
          f"{ours_mb / max(astro_mb, 1):.3f}x (resident memory grown above the process's start)")  # fmt: skip
