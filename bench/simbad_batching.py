"""SIMBAD: 2,000 names in batched query_objects vs one query_object per name.

Both through astroquery's real code against the local stand-in, which adds 50 ms of latency
to every query (as a distant server would). Names and objects are SYNTHETIC (TEST DATA).
The portal's rate limit is off here to measure the protocol alone; at SIMBAD's etiquette of
5 requests/s, one request per name would also cost at least 400 s of waiting.
"""

import time
import warnings
from pathlib import Path

from django.conf import settings

from jmdc.simbad import SimbadClient
from standins.simbad import SimbadStandIn, invented_object

NAMES = 2000
LATENCY = 0.05


def run() -> None:
    shared = Path(settings.SHARED_DATA_DIR) / "simbad"
    if not shared.is_dir():
        print(f"skipped: {shared} is absent (the stand-in replays its recorded metadata answers)")
        return
    names = [f"SYNTH {n}" for n in range(NAMES)]
    with SimbadStandIn(
        [invented_object(n) for n in names], shared_dir=shared, latency=LATENCY
    ) as standin:
        batched = SimbadClient(standin.url, rate=0)
        batched.resolve(names[:1])  # capabilities and metadata, once per client, not measured
        before = len(standin.requests)
        start = time.perf_counter()
        answers = batched.resolve(names)
        batched_s = time.perf_counter() - start
        batched_requests = len(standin.requests) - before
        assert sum(a.status == "resolved" for a in answers.values()) == NAMES

        single = SimbadClient(standin.url, rate=0)
        single._prepare()
        before = len(standin.requests)
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for name in names:
                single._simbad.query_object(name)
        single_s = time.perf_counter() - start
        single_requests = len(standin.requests) - before
    print(f"names: {NAMES} (synthetic), stand-in latency {LATENCY * 1000:.0f} ms per request")
    print(f"ours (query_objects, batches of 1000): {batched_requests} requests, {batched_s:.2f} s")
    print(f"baseline (one query_object per name): {single_requests} requests, {single_s:.2f} s")
    print(
        f"ratio baseline/ours: {single_requests / batched_requests:.0f}x fewer requests, {single_s / batched_s:.1f}x faster"
    )
