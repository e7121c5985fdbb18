"""How the ObsPortal's costs grow with the archive: 30,000, 300,000 and (GROWTH_MILLION=1)
1,000,000 SYNTHETIC exposures. Per size: OiDB's all-fields answer (the writer path as it is)
in seconds per row and its peak memory, Aspro2's 30" cone p95 by q3c and by the fallback
(fetching the rows as the answer reads them, the two taking turns on each centre), and
ingestion of header records in bulk (obsportal.ingest.upsert) against a save per row. The
goal: per-row cost and cone p95 flat within 1.5x across sizes, bulk ingestion at least 20x a
per-row save.

The targets grow with the exposures (5,500 per 300,000) and are observed alike (no Zipf law
here), so that a cone finds about as many rows at every size: what grows is the table a cone
searches, not its answer. The writer and
cone figures are the same measurements as bench/obsportal_votable.py and cone_search.py."""

import os
import statistics
import time

from bench.cone_search import centres, cone_rows, latencies
from bench.ingestion import ingestion
from bench.obsportal_data import EXPOSURES, TARGETS, ensure_exposures, in_child
from bench.obsportal_votable import ours
from obsportal.cone import q3c_available

SIZES = [30_000, 300_000] + ([1_000_000] if os.environ.get("GROWTH_MILLION") == "1" else [])
CONES = 200


def cone_times(methods: list[str], points) -> dict[str, tuple[list[float], int]]:
    """Each method's times on the same centres (taking turns on each) and the rows found;
    each cone fetching its rows as the answer reads them (bench/cone_search.py)."""
    measured = latencies({m: cone_rows(m) for m in methods}, points)
    return {m: (times, sum(len(a) for a in answers)) for m, (times, answers) in measured.items()}


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def run() -> None:
    methods = ["q3c", "fallback"] if q3c_available() else ["fallback"]
    table = []
    for size in SIZES:
        started = time.perf_counter()
        # Every target alike (skew 0), ~55 exposures each: the answer of a cone on a target
        # keeps its size; with the Zipf law of the other benchmarks the most observed target
        # grows with the table, and so would the time to fetch its rows.
        built = ensure_exposures(size, max(1, TARGETS * size // EXPOSURES), skew=0, again=True)
        ours()  # warm the database's cache, as for a served answer
        seconds, _, grown_mb = in_child(ours)
        points = centres(CONES)
        cones = {
            method: (p95(times), statistics.median(times), found / len(points))
            for method, (times, found) in cone_times(methods, points).items()
        }
        one_by_one, bulk, *_ = ingestion()  # new exposures, as before (bench/ingestion.py)
        table.append((size, built, seconds / size, grown_mb, cones, one_by_one, bulk))
        print(f"  {size:,}: built in {built:.0f} s, measured in "
              f"{time.perf_counter() - started - built:.0f} s")  # fmt: skip
    header = (f"{'exposures':>10} {'answer µs/row':>14} {'answer MB':>10} "
              + " ".join(f"{m + ' p95 ms':>14}" for m in methods)
              + f" {'rows/cone':>10} {'ingest bulk/1-by-1':>19}")  # fmt: skip
    print(header)
    for size, _, per_row, grown_mb, cones, one_by_one, bulk in table:
        print(f"{size:>10,} {per_row * 1e6:>14.1f} {grown_mb:>10.0f} "
              + " ".join(f"{cones[m][0] * 1000:>14.2f}" for m in methods)
              + f" {cones[methods[0]][2]:>10.1f} {bulk / one_by_one:>18.1f}x")  # fmt: skip
    first, last = table[0], table[-1]
    print(f"growth {first[0]:,} -> {last[0]:,}: answer per row {last[2] / first[2]:.2f}x, "
          + ", ".join(f"{m} p95 {last[4][m][0] / first[4][m][0]:.2f}x" for m in methods)
          + " (goal: within 1.5x)")  # fmt: skip
    if "q3c" in methods:
        ratios = [t[4]["fallback"][0] / t[4]["q3c"][0] for t in table]
        print("fallback/q3c p95: " + ", ".join(f"{r:.2f}x" for r in ratios) + " (goal: within 3x)")
    print("ingestion rows/s, bulk vs a save per row: "
          + ", ".join(f"{t[6]:,.0f} vs {t[5]:,.0f}" for t in table) + " (goal: 20x)")  # fmt: skip
    if os.environ.get("GROWTH_MILLION") != "1":
        print("1,000,000 not measured: GROWTH_MILLION=1 make bench (minutes more)")
