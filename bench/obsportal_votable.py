"""ObsPortal's answer to OiDB (all fields) on 300,000 SYNTHETIC exposures (``BENCH_EXPOSURES``
for fewer): our streaming answer (search_votable: on PostgreSQL the rows written by the
database, lib/sql_rows.py; on SQLite by Python) against

- on PostgreSQL, the database's own ``COPY (SELECT the same columns ORDER BY mjd_start) TO
  STDOUT CSV``: the floor, the rows leaving the database with no formatting of ours;
- astropy's VOTable writer (what the original service used, ~70 s), on the same cells;
- gzip at levels 1, 3 and 6 (Django's gzip_page): each level's throughput on the answer's own
  bytes against the writer's, and the gzipped stream end to end at the level the views use;
- peak memory of the answer at 30,000 rows and at the full size: flat, whatever the count.

Each timed run is a child process (a fair peak memory); ours, COPY and gzip are medians of
``BENCH_RUNS`` runs (3), astropy runs once (a minute at 300,000)."""

import io
import os
import statistics
import tempfile
import time
import zlib

import numpy as np
from astropy.table import MaskedColumn, Table
from django.db import connection

from bench.obsportal_data import EXPOSURES, ensure_exposures, in_child
from lib.gzip_stream import GZIP_LEVEL, gzip_pieces
from obsportal.models import Exposure
from obsportal.votable_answers import COLUMNS, answer_rows, search_votable

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SMALL = 30_000  # the smaller answer of the memory comparison


def answer(queryset=None):
    return search_votable(
        Exposure.objects.all() if queryset is None else queryset, all_fields=True, last_mod_date=""
    )


def ours() -> int:
    return sum(len(piece) for piece in answer())


class _Counter:
    size = 0

    def write(self, data) -> None:
        self.size += len(data)


def copy_csv() -> int:
    """The same columns as the answer, leaving PostgreSQL as CSV by its own COPY."""
    names = ", ".join(  # the stored columns (an expression's own column: the bare value)
        c.source if isinstance(c.source, str) else c.source.get_source_expressions()[0].name
        for c in COLUMNS
    )
    out = _Counter()
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY (SELECT {names} FROM obsportal_exposure "  # noqa: S608
            "ORDER BY mjd_start, id) TO STDOUT CSV",
            out,
        )
    return out.size


def gzipped_stream() -> int:
    """The answer as a client that accepts gzip receives it (lib.gzip_stream, GZIP_LEVEL)."""
    return sum(len(piece) for piece in gzip_pieces(answer()))


def first_rows(count: int):
    """The answer's first ``count`` exposures (by start time, as it is ordered)."""
    starts = Exposure.objects.order_by("mjd_start", "pk").values_list("mjd_start", flat=True)
    last = starts[count - 1 : count].first()
    return Exposure.objects.filter(mjd_start__lte=last)


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


def gzip_levels(ours_s: float, copy_s: float | None = None) -> None:
    """Each level's compression of the answer's bytes, in process, against the writer's
    throughput and the answer's bytes at COPY's pace (the rate it aims at): a level that compresses more slowly
    than the rows come makes the client wait on the compressor. The answer is kept in a file
    (in pieces as streamed), not in memory."""
    with tempfile.TemporaryFile() as kept:
        sizes = []
        for piece in answer():
            data = piece.encode() if isinstance(piece, str) else piece
            kept.write(data)
            sizes.append(len(data))
        total = sum(sizes)
        writer_mb_s = total / 1e6 / min(ours_s, copy_s or ours_s)
        print(f"gzip, in process, of the answer's {total / 1e6:.0f} MB in its {len(sizes)} pieces "
              f"(the stream to keep up with: {writer_mb_s:.0f} MB/s, the answer at the writer's pace or COPY's):")  # fmt: skip
        for level in (1, 3, 6):
            times = []
            for _ in range(RUNS):
                kept.seek(0)
                packer = zlib.compressobj(level, zlib.DEFLATED, 31)
                packed = 0
                start = time.perf_counter()
                for size in sizes:
                    packed += len(packer.compress(kept.read(size)))
                    packed += len(packer.flush(zlib.Z_SYNC_FLUSH))
                packed += len(packer.flush())
                times.append(time.perf_counter() - start)
            mb_s = total / 1e6 / statistics.median(times)
            keeps = "keeps up" if mb_s >= writer_mb_s else "slower than the stream"
            used = " (the views' level)" if level == GZIP_LEVEL else ""
            print(f"  level {level}{used}: {mb_s:.0f} MB/s, {mb_s / writer_mb_s:.1f}x the stream "
                  f"({keeps}), {packed / 1e6:.1f} MB ({total / packed:.1f}x smaller)")  # fmt: skip


def memory() -> None:
    """Peak resident memory of the answer at 30,000 exposures and at all of them."""
    sizes = sorted({min(SMALL, EXPOSURES), EXPOSURES})
    figures = []
    for size in sizes:
        rows = first_rows(size)
        count = rows.count()
        seconds, _, grown = in_child(lambda rows=rows: sum(len(p) for p in answer(rows)))
        figures.append(grown)
        print(f"  {count:>9,} exposures: peak memory +{grown:.0f} MB, "
              f"{seconds / count * 1e6:.1f} us a row")  # fmt: skip
    if len(figures) == 2:
        print(f"  memory ratio {sizes[1]:,} / {sizes[0]:,} rows: "
              f"{figures[1] / max(figures[0], 1):.2f}x (flat: ~1x)")  # fmt: skip


def run() -> None:
    ensure_exposures()
    ours()  # warm the database cache for both
    print(f"({connection.vendor}; {EXPOSURES:,} synthetic exposures, {len(COLUMNS)} fields "
          f"(all_fields=true); load average {os.getloadavg()[0]:.2f}; medians of {RUNS} runs)")  # fmt: skip
    ours_s, ours_size, ours_mb = median_of(ours)
    print(f"ours (streamed TABLEDATA): {ours_s:.2f} s, {EXPOSURES / ours_s:,.0f} rows/s, "
          f"{ours_size / 1e6:.0f} MB, peak memory +{ours_mb:.0f} MB")  # fmt: skip
    copy_s = None
    if connection.vendor == "postgresql":
        copy_s, copy_size, _ = median_of(copy_csv)
        print(f"baseline (COPY ... TO STDOUT CSV, same columns and order): {copy_s:.2f} s, "
              f"{copy_size / 1e6:.0f} MB; ours/COPY: {ours_s / copy_s:.2f}x (goal <= 1.3x)")  # fmt: skip
    gzip_levels(ours_s, copy_s)
    gz_s, gz_size, gz_mb = median_of(gzipped_stream)
    print(f"ours gzipped at level {GZIP_LEVEL} as streamed (lib.gzip_stream): {gz_s:.2f} s "
          f"({gz_s / ours_s:.2f}x ours), {gz_size / 1e6:.1f} MB, peak memory +{gz_mb:.0f} MB")  # fmt: skip
    print("peak memory of the answer (resident memory grown above the process's start):")
    memory()
    astro_s, astro_size, astro_mb = in_child(astropy_writer)
    print(f"baseline (astropy Table.write votable, once): {astro_s:.1f} s, "
          f"{EXPOSURES / astro_s:,.0f} rows/s, {astro_size / 1e6:.0f} MB, peak memory +{astro_mb:.0f} MB")  # fmt: skip
    goal = 15 if connection.vendor == "postgresql" else 10
    print(f"speed ratio ours/astropy: {astro_s / ours_s:.1f}x (goal >= {goal}x); peak memory ratio: "
          f"{ours_mb / max(astro_mb, 1):.3f}x")  # fmt: skip
