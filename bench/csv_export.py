"""/export_csv's writer against Python's csv module on the same rows read the same way.

Rows are SYNTHETIC (generated here, not real measurements): 100,000 of them, shaped like
the catalogue (nullable diameters, short band strings, notes, bibcodes).
"""

import csv
import io
import random
import time
import tracemalloc

from jmdc.formats.csv import iter_csv
from jmdc.models import CATALOGUE_FIELDS, Measurement, Star

ROWS = 100_000


def make_rows() -> None:
    if Measurement.objects.count() >= ROWS:
        return
    rng = random.Random(345)
    stars = Star.objects.bulk_create(Star(name=f"SYNTH{n}") for n in range(5000))
    batch = []
    for n in range(ROWS):
        star = stars[n % len(stars)]
        ud = round(rng.uniform(0.2, 40), 3) if rng.random() < 0.6 else None
        batch.append(
            Measurement(
                star=star, id1=star.name, id2="", ud_diam=ud,
                ld_diam=round(rng.uniform(0.2, 40), 3) if ud is None or rng.random() < 0.5 else None,
                e_ld_diam=round(rng.uniform(0.001, 0.5), 3), band=rng.choice(["K", "H", "2.2", "800nm"]),
                mu_lambda=rng.choice([None, None, 0.3, 1.11803]), method=rng.choice([1, 2, 3]),
                bandcode=rng.choice([None, 7, 8]), notes="synthetic row" if n % 7 else "",
                bibcode=f"{2000 + n % 25}A&A...{n % 999:03d}A..{n % 99:02d}S",
            )
        )  # fmt: skip
        if len(batch) == 5000:
            Measurement.objects.bulk_create(batch)
            batch = []


def measure(produce) -> tuple[float, int, float]:
    """Seconds and output size of one run, then the peak memory of a second run under
    tracemalloc (which slows allocation-heavy code, so it is kept out of the timing)."""
    start = time.perf_counter()
    size = produce()
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    produce()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return elapsed, size, peak


def ours() -> int:
    return sum(len(piece) for piece in iter_csv(Measurement.objects.export_values()))


def baseline() -> int:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerows(Measurement.objects.in_export_order().values_list(*CATALOGUE_FIELDS))
    return len(out.getvalue())


def run() -> None:
    make_rows()
    ours()  # warm the database cache for both
    ours_s, ours_size, ours_peak = measure(ours)
    base_s, base_size, base_peak = measure(baseline)
    print(
        f"rows: {ROWS} (synthetic); output {ours_size / 1e6:.1f} MB ours, {base_size / 1e6:.1f} MB baseline"
    )
    print(
        f"ours (streamed /export_csv writer): {ROWS / ours_s:,.0f} rows/s, peak {ours_peak / 1e6:.1f} MB"
    )
    print(
        f"baseline (csv.writer QUOTE_ALL, whole list): {ROWS / base_s:,.0f} rows/s, peak {base_peak / 1e6:.1f} MB"
    )
    print(
        f"speed ratio ours/baseline: {base_s / ours_s:.2f}x; peak memory ratio: {ours_peak / base_peak:.2f}x"
    )
