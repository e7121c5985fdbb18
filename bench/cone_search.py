"""Cone search latency for Aspro2's query (30 arcsec around a target) on 300,000 SYNTHETIC
exposures: q3c (PostgreSQL with the extension) vs the portable fallback vs a full scan that
reads every position and tests the exact separation. p50 and p95 of the same centres, each
cone fetching its rows as the answer reads them (the values of Aspro2's columns, no model
instances: no caller of the cone builds them), then the same cones as Aspro2 asks for them
(POST /search.votable, in-process: the filter form, the query, the written VOTable).

The centres are drawn among the distinct targets, each alike: the synthetic targets follow a
Zipf law, and the most observed one (7% of the table) answers thousands of rows, a cost that
grows with its answer, not with the table; it is measured on its own below."""

import random
import statistics
import time
from unittest import mock
from urllib.parse import urlencode

from django.db.models import Count
from django.test import Client
from django.test.utils import override_settings

from bench.obsportal_data import EXPOSURES, ensure_exposures
from lib.sky import separation
from obsportal import cone as cone_module
from obsportal.cone import cone, q3c_available
from obsportal.models import Exposure
from obsportal.votable_answers import COLUMNS, answer_rows

RADIUS = 30 / 3600
QUERIES = 300
FULL_SCAN_QUERIES = 20  # a full scan per query takes long: fewer of them
ASPRO2_COLUMNS = [c for c in COLUMNS if c.short]  # what all_fields=false answers


def centres(count: int) -> list[tuple[float, float]]:
    rng = random.Random(30)
    # order_by(): the model's ordering would make DISTINCT keep every exposure (its columns
    # join the SELECT), and the centres would fall on targets as often as they were observed.
    # Sorted: DISTINCT's own order may change between runs, and with it the centres.
    targets = sorted(Exposure.objects.order_by().values_list("ra", "dec").distinct())
    picked = []
    for _ in range(count):
        if rng.random() < 0.8:  # most of Aspro2's targets were observed before
            ra, dec = rng.choice(targets)
            picked.append((ra + rng.uniform(-5, 5) / 3600, dec + rng.uniform(-5, 5) / 3600))
        else:
            picked.append((rng.uniform(0, 360), rng.uniform(-90, 30)))
    return picked


def cone_rows(method: str):
    """A cone and its rows as the answer reads them: Aspro2's columns, bare values."""
    everything = Exposure.objects.all()

    def search(ra: float, dec: float) -> list[str]:
        found = cone(everything, ra, dec, RADIUS, method=method)
        return [row[0] for row in answer_rows(found, ASPRO2_COLUMNS)]  # exp_id first

    return search


def full_scan(ra: float, dec: float) -> list[str]:
    return [
        exp_id
        for exp_id, r, d in Exposure.objects.values_list("exp_id", "ra", "dec").iterator(
            chunk_size=10000
        )
        if r is not None and separation(ra, dec, r, d) <= RADIUS
    ]


def hiding_q3c(search):
    """The view picks q3c when it is installed: the fallback is measured through the same
    view with the extension hidden from it."""

    def hidden(ra: float, dec: float):
        with mock.patch.object(cone_module, "q3c_available", lambda: False):
            return search(ra, dec)

    return hidden


def aspro2(client: Client):
    """Aspro2's own request (form-encoded POST, radius in arcsec), the answer read whole."""

    def search(ra: float, dec: float) -> list[bytes]:
        form = {"ra": repr(ra), "dec": repr(dec), "radius": "30.0", "all_fields": "false"}
        answer = client.post(
            "/search.votable", urlencode(form), content_type="application/x-www-form-urlencoded"
        )
        assert answer.status_code == 200, answer.status_code
        body = b"".join(answer.streaming_content)
        return [row.split(b"</TD>", 1)[0] for row in body.split(b"<TR><TD>")[1:]]

    return search


def latencies(searches: dict, points, warm: int = 20) -> dict[str, tuple[list[float], list]]:
    """Each search's times and answers on the same points, the searches taking turns on each
    point: a change of the machine's load (shared) falls on all of them alike."""
    for ra, dec in points[:warm]:  # warm: the connection, the caches of Django and the database
        for search in searches.values():
            search(ra, dec)
    results = {name: ([], []) for name in searches}
    for ra, dec in points:
        for name, search in searches.items():
            start = time.perf_counter()
            answer = set(search(ra, dec))
            results[name][0].append(time.perf_counter() - start)
            results[name][1].append(answer)
    return results


def p95(times: list[float]) -> float:
    return sorted(times)[min(len(times) - 1, int(0.95 * len(times)))]


def summary(times: list[float]) -> str:
    return f"p50 {statistics.median(times) * 1000:.2f} ms, p95 {p95(times) * 1000:.2f} ms"


def loadavg() -> str:
    with open("/proc/loadavg") as load:
        return load.read().split()[0]


def run() -> None:
    ensure_exposures()
    points = centres(QUERIES)
    methods = ["q3c", "fallback"] if q3c_available() else ["fallback"]
    results = latencies({m: cone_rows(m) for m in methods}, points)
    results.update(latencies({"full scan": full_scan}, points[:FULL_SCAN_QUERIES], warm=0))
    sizes = sorted(len(a) for a in results["fallback"][1])
    print(f"{EXPOSURES:,} synthetic exposures; {QUERIES} cones of 30\" on distinct targets "
          f"(rows per cone: median {sizes[len(sizes) // 2]}, p95 {p95(sizes)}, "
          f"max {sizes[-1]}); full scan on the first {FULL_SCAN_QUERIES}; "
          f"load average {loadavg()}")  # fmt: skip
    for name, (times, answers) in results.items():
        same = all(a == b for a, b in zip(answers, results["fallback"][1], strict=False))
        print(f"cone and its rows, {name}: {summary(times)}; answers equal to the fallback's: "
              f"{same}")  # fmt: skip
    if "q3c" not in results:
        print("q3c: not measured (needs PostgreSQL with the q3c extension: "
              "DATABASE_URL=postgres://... make bench)")  # fmt: skip
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        view = aspro2(Client())
        searches = {"q3c": view, "fallback": hiding_q3c(view)} if "q3c" in methods else {
            "fallback": view
        }  # fmt: skip
        for method, (times, answers) in latencies(searches, points).items():
            same = all(
                {a.decode() for a in got} == want
                for got, want in zip(answers, results["fallback"][1], strict=True)
            )
            results[f"/search.votable {method}"] = (times, answers)
            print(f"POST /search.votable as Aspro2, {method}: {summary(times)}; the same rows: "
                  f"{same}; load average {loadavg()}")  # fmt: skip
    if "q3c" in results:
        ratio = p95(results["fallback"][0]) / p95(results["q3c"][0])
        view = p95(results["/search.votable fallback"][0]) / p95(results["/search.votable q3c"][0])
        print(f"fallback/q3c p95: {ratio:.2f}x the cone and its rows, {view:.2f}x through "
              "/search.votable (goal: within 3x); q3c p95 goal: under 10 ms")  # fmt: skip
    scan = statistics.median(results["full scan"][0])
    for name in methods:
        print(
            f"speed ratio {name}/full scan (p50): {scan / statistics.median(results[name][0]):,.0f}x"
        )
    busiest = (
        Exposure.objects.order_by().values_list("ra", "dec").annotate(n=Count("pk")).order_by("-n")
    ).first()
    if busiest:
        ra, dec, rows = busiest
        times = latencies({m: cone_rows(m) for m in methods}, [(ra, dec)] * 7, warm=2)
        print(f"the most observed target ({rows:,} rows: its cost grows with its answer): "
              + ", ".join(f"{m} {summary(times[m][0])}" for m in methods))  # fmt: skip
