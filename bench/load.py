"""Load on the production topology: wrk (Debian's package) on 127.0.0.1 against the native stack
(ops/stack: gunicorn with gunicorn.conf.py, PostgreSQL, Redis, a worker, DEBUG=0), a bounded
run per URL: the catalogue page, the star page of the most measured star, the exposure
search page, /export_csv (the whole catalogue), the API list, and /search.votable (Aspro2's
30" cone). Requests per second and p99 latency, with every error
counted (non-2xx answers, socket errors); the baseline, measured in the same run, is a static
file served by the same gunicorn (whitenoise), the cheapest request the stack answers.

Data: the real 2020 catalogue when ../shared is present (ops/stack loads it), and SYNTHETIC
exposures (obsportal/synthetic.py, labelled so). The API's anonymous throttle is lifted for
the run (API_ANON_RATE), or every request after the 120th of a minute would be a 429.
LOAD_SECONDS (default 10) bounds each URL's measured run (after 5 s of warm-up);
LOAD_CONNECTIONS (default 8) sets wrk's concurrent connections.
"""

import os
import re
import shutil
import subprocess

from ops.native import NativeStack, missing_parts

SECONDS = int(os.environ.get("LOAD_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("LOAD_CONNECTIONS", "8"))
EXPOSURES = int(os.environ.get("LOAD_EXPOSURES", "30000"))
# Each URL is first run this long unmeasured: the figures are of a warm portal (templates
# compiled, connections open), not of each worker's first request.
WARM_UP_SECONDS = 5
CLOSED = "http://127.0.0.1:9/"  # the discard port: nothing listens


def wrk(url: str, seconds: int = SECONDS) -> dict:
    """One bounded wrk run: requests/s, p50 and p99 in ms, and errors of every kind."""
    output = subprocess.run(
        ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout", "30s", "--latency", url],
        capture_output=True, text=True, check=True, timeout=seconds + 120,
    ).stdout  # fmt: skip
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors += sum(int(n) for n in sockets.groups()) if sockets else 0
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50": milliseconds(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99": milliseconds(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "errors": errors,
    }


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run() -> None:
    if shutil.which("wrk") is None:
        print("not measured: wrk is not installed (as root: apt-get install wrk)")
        return
    if reason := missing_parts():
        print(f"not measured: {reason}")
        return
    stack = NativeStack(
        API_ANON_RATE="100000000/min", LOG_LEVEL="WARNING",
        # Nothing leaves the machine: a periodic task coming due during the run (SIMBAD sweep,
        # target identification) meets a closed port and ends, instead of waiting on timeouts.
        SIMBAD_TAP_URL=CLOSED, ESO_TAP_URL=CLOSED, ESO_HEADER_URL=CLOSED,
    )  # fmt: skip
    failed = False
    try:
        stack.start()
        stack.manage("make_synthetic_exposures", "--count", str(EXPOSURES), timeout=1800)
        # As a portal that has run for a while: statistics and visibility map up to date, not
        # autovacuum catching up with the 30,000 fresh rows during the measurement.
        stack.manage("shell", "-c", "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')", timeout=600)  # fmt: skip
        probe = stack.manage(
            "shell", "-c",
            "from django.db.models import Count; from obsportal.models import Exposure; "
            "t = Exposure.objects.values('ra', 'dec').annotate(n=Count('id')).order_by('-n')[100]; "
            "from django.contrib.staticfiles.storage import staticfiles_storage as s; "
            "from jmdc.models import Measurement, Star; "
            "star = Star.objects.annotate(m=Count('measurements')).order_by('-m').first(); "
            "print(t['ra'], t['dec'], t['n'], s.url('jmdc/site.css'), Measurement.objects.count(), "
            "star.get_absolute_url(), star.m)",
        )  # fmt: skip
        ra, dec, observed, stylesheet, rows, star, star_rows = (
            probe.strip().splitlines()[-1].split()
        )
        urls = [
            ("static file (baseline)", stylesheet),
            ("catalogue page /", "/"),
            (f"star page ({star_rows} measurements)", star),
            ("exposure search /search", "/search"),
            (f"/export_csv ({rows} rows)", "/export_csv"),
            ("API /api/v1/measurements/", "/api/v1/measurements/"),
            (
                f'/search.votable 30" cone ({observed} exposures)',
                f"/search.votable?ra={ra}&dec={dec}&radius=30",
            ),
        ]
        print(f"{EXPOSURES} SYNTHETIC exposures, {rows} measurements; wrk {CONNECTIONS} connections, "
              f"{SECONDS} s per URL; gunicorn of gunicorn.conf.py on 127.0.0.1")  # fmt: skip
        print(
            f"{'URL':<44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs baseline':>12}"
        )
        baseline = None
        for label, path in urls:
            warm_up = wrk(stack.url(path), WARM_UP_SECONDS)  # not reported, but its errors count
            figures = wrk(stack.url(path))
            figures["errors"] += warm_up["errors"]
            baseline = baseline or figures["rps"]
            failed |= figures["errors"] > 0 or figures["requests"] == 0
            print(
                f"{label:<44} {figures['rps']:>8.1f} {figures['p50']:>8.1f} {figures['p99']:>8.1f} "
                f"{figures['errors']:>7} {figures['rps'] / baseline:>11.3f}x"
            )
    finally:
        stack.stop()
    if failed:
        print("ERRORS under load: the stack's logs are kept in", stack.folder / "logs")
        raise SystemExit(1)
    stack.remove()
