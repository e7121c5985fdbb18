"""The portal's pages in-process, single user: the catalogue page, the star page of the most
measured star and the exposure search, through Django's whole request handling (every
middleware, the template, the database), as an anonymous visitor with DEBUG off.

Data: the real 2020 catalogue (../shared/jmdc/JMDC_full_20200730.csv, as bench.export_formats
imports it) and SYNTHETIC exposures (obsportal.synthetic; BENCH_PAGES_EXPOSURES, default
30,000, the load bench's count). Baseline, measured in the same run: an empty view behind the
same middleware (the floor every page pays), and Django rendering a bare template.

Each page is asked PAGES_RUNS times (default 200) after warming up; the figures are the median
and p95 of the wall time, and the median of the process's CPU time, which other processes on
a shared machine disturb less (the load average is printed with them). The goal (issue 20):
each page under 8 ms.
"""

import os
import statistics
import time

from django.db import connection
from django.db.models import Count
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import path

from bench.export_formats import REAL_FILE
from bench.obsportal_data import ensure_exposures
from jmdc.importing.catalogue_file import import_catalogue
from jmdc.models import Measurement, Star
from portal.urls import urlpatterns as portal_urlpatterns

RUNS = int(os.environ.get("PAGES_RUNS", "200"))
EXPOSURES = int(os.environ.get("BENCH_PAGES_EXPOSURES", "30000"))
WARM_UP = 20
GOAL_MS = 8.0


def empty(request):
    return HttpResponse("")


# The portal's URLs and one more: the empty view, the baseline (ROOT_URLCONF during the run).
urlpatterns = [path("bench/empty", empty), *portal_urlpatterns]


def load_average() -> str:
    with open("/proc/loadavg") as loadavg:
        return " ".join(loadavg.read().split()[:3])


def timed(call) -> dict:
    for _ in range(WARM_UP):
        call()
    wall, cpu = [], []
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    wall.sort()
    return {
        "median": statistics.median(wall),
        "p95": wall[int(len(wall) * 0.95) - 1],
        "cpu": statistics.median(cpu),
    }


def run() -> None:
    if not REAL_FILE.is_file():
        print(
            f"not measured: {REAL_FILE} is not there (the pages are measured on the real catalogue)"
        )
        return
    if not Measurement.objects.filter(import_run__isnull=False).exists():
        import_catalogue(REAL_FILE)
    ensure_exposures(EXPOSURES)
    star = Star.objects.annotate(m=Count("measurements")).order_by("-m").first()
    pages = [
        ("catalogue page /", "/"),
        (f"star page ({star.m} measurements)", star.get_absolute_url()),
        ("exposure search /search", "/search"),
    ]
    client = Client(SERVER_NAME="localhost")  # an anonymous visitor: no session, no cookie
    bare = engines["django"].from_string("<p>{{ text }}</p>")
    real = Measurement.objects.filter(import_run__isnull=False).count()
    others = Measurement.objects.count() - real
    # Run first by `make bench` (a fresh database): the other benchmarks add synthetic rows.
    also = f" and {others:,} SYNTHETIC measurements" if others else ""
    print(f"real catalogue ({real} rows{also}), {EXPOSURES:,} SYNTHETIC "
          f"exposures, {connection.vendor}; {RUNS} runs each; load average {load_average()}")  # fmt: skip
    with override_settings(DEBUG=False, ROOT_URLCONF=__name__):
        floor = timed(lambda: client.get("/bench/empty"))
        template = timed(lambda: bare.render({"text": "x"}))
        print(f"{'':<34} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>8} {'queries':>8} "
              f"{'x empty view':>13}")  # fmt: skip
        print(f"{'empty view (baseline)':<34} {floor['median']:>10.2f} {floor['p95']:>8.2f} "
              f"{floor['cpu']:>8.2f} {0:>8} {1:>12.1f}x")  # fmt: skip
        print(f"{'bare template render':<34} {template['median']:>10.3f} {template['p95']:>8.3f} "
              f"{template['cpu']:>8.3f} {0:>8} {template['median'] / floor['median']:>12.2f}x")  # fmt: skip
        for label, url in pages:
            answer = client.get(url)
            assert answer.status_code == 200, f"{url} answered {answer.status_code}"
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            query_count = len(queries)  # now: the next request empties the log
            figures = timed(lambda url=url: client.get(url))
            # The page's whole time, the database's included (CPU time leaves it out).
            verdict = "within" if figures["median"] < GOAL_MS else "ABOVE"
            print(
                f"{label:<34} {figures['median']:>10.2f} {figures['p95']:>8.2f} "
                f"{figures['cpu']:>8.2f} {query_count:>8} "
                f"{figures['median'] / floor['median']:>12.1f}x  "
                f"({verdict} the {GOAL_MS:g} ms goal, median)"
            )
    print(f"load average after: {load_average()}")
