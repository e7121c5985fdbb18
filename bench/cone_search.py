"""Cone search latency for Aspro2's query (30 arcsec around a target) on 300,000 SYNTHETIC
exposures: q3c (PostgreSQL with the extension) vs the portable fallback vs a full scan that
reads every position and tests the exact separation. p50 and p95 of the same centres, each
cone fetching its whole rows."""

import random
import statistics
import time

from bench.obsportal_data import EXPOSURES, ensure_exposures
from lib.sky import separation
from obsportal.cone import cone, q3c_available
from obsportal.models import Exposure

RADIUS = 30 / 3600
QUERIES = 300
FULL_SCAN_QUERIES = 20  # a full scan per query takes long: fewer of them


def centres(count: int) -> list[tuple[float, float]]:
    rng = random.Random(30)
    targets = list(Exposure.objects.values_list("ra", "dec").distinct())
    picked = []
    for _ in range(count):
        if rng.random() < 0.8:  # most of Aspro2's targets were observed before
            ra, dec = rng.choice(targets)
            picked.append((ra + rng.uniform(-5, 5) / 3600, dec + rng.uniform(-5, 5) / 3600))
        else:
            picked.append((rng.uniform(0, 360), rng.uniform(-90, 30)))
    return picked


def full_scan(ra: float, dec: float) -> list[int]:
    return [
        pk
        for pk, r, d in Exposure.objects.values_list("pk", "ra", "dec").iterator(chunk_size=10000)
        if r is not None and separation(ra, dec, r, d) <= RADIUS
    ]


def latencies(search, points) -> tuple[list[float], list[set]]:
    times, answers = [], []
    for ra, dec in points:
        start = time.perf_counter()
        answers.append(set(search(ra, dec)))
        times.append(time.perf_counter() - start)
    return times, answers


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"p50 {statistics.median(ordered) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"


def run() -> None:
    ensure_exposures()
    points = centres(QUERIES)
    everything = Exposure.objects.all()

    def by(method):
        # The whole rows, as an answer needs them, not only their ids.
        return lambda ra, dec: [e.pk for e in cone(everything, ra, dec, RADIUS, method=method)]

    results = {}
    if q3c_available():
        results["q3c"] = latencies(by("q3c"), points)
    results["fallback"] = latencies(by("fallback"), points)
    results["full scan"] = latencies(full_scan, points[:FULL_SCAN_QUERIES])
    found = sum(len(a) for a in results["fallback"][1])
    print(f"{EXPOSURES:,} synthetic exposures; {QUERIES} cones of 30\" ({found:,} rows found); "
          f"full scan on the first {FULL_SCAN_QUERIES}")  # fmt: skip
    for name, (times, answers) in results.items():
        same = all(a == b for a, b in zip(answers, results["fallback"][1], strict=False))
        print(f"{name}: {summary(times)}; answers equal to the fallback's: {same}")
    if "q3c" not in results:
        print("q3c: not measured (needs PostgreSQL with the q3c extension: "
              "DATABASE_URL=postgres://... make bench)")  # fmt: skip
    if "q3c" in results:

        def p95(times):
            return sorted(times)[min(len(times) - 1, int(0.95 * len(times)))]

        ratio = p95(results["fallback"][0]) / p95(results["q3c"][0])
        print(f"fallback/q3c p95: {ratio:.2f}x (goal: within 3x)")
    scan = statistics.median(results["full scan"][0])
    for name in [n for n in results if n != "full scan"]:
        print(
            f"speed ratio {name}/full scan (p50): {scan / statistics.median(results[name][0]):,.0f}x"
        )
