"""What the ObsPortal benchmarks share: 300,000 SYNTHETIC exposures (obsportal.synthetic;
``BENCH_EXPOSURES=30000`` for a quick run), and a way to measure a function's time and peak
memory in a child process."""

import os
import pickle
import resource
import time

from django.db import connection

from obsportal import synthetic
from obsportal.models import Exposure

EXPOSURES = int(os.environ.get("BENCH_EXPOSURES", "300000"))
TARGETS = 5_500


def ensure_exposures(
    count: int = EXPOSURES, targets: int = TARGETS, *, skew: float = 0.9, again: bool = False
) -> float:
    """The synthetic exposures of this count (made again when the count differs, or
    ``again``); the seconds it took (0 when they were there)."""
    made = Exposure.objects.filter(program=synthetic.PROGRAM)
    if (
        not again
        and made.count() == count
        and made.values("target_name").distinct().count() <= targets
    ):
        return 0.0
    start = time.perf_counter()
    synthetic.create(count, targets, skew=skew)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as the reference says a q3c table should be
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'obsportal_exposure_q3c'")
            if cursor.fetchone():
                cursor.execute("CLUSTER obsportal_exposure USING obsportal_exposure_q3c")
            # As autovacuum leaves a table within a minute of a bulk load (its insert
            # threshold): with the visibility map set, /search's capped count reads the index
            # alone; measured right after the load it read the heap for each row (8.5 ms
            # against 6.1 ms a page), a state no visitor of a served archive meets.
            cursor.execute("VACUUM ANALYZE obsportal_exposure")
    took = time.perf_counter() - start
    print(f"({count:,} synthetic exposures written in {took:.0f} s)")
    return took


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:  # resident pages now (not the process's peak)
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def in_child(produce) -> tuple[float, object, float]:
    """Run ``produce`` in a forked child: (seconds, its result, MB its peak resident memory
    grew above what the child started with). The kernel's figure: numpy buffers and all."""
    connection.close()  # the child opens its own connection
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a fresh high-water mark, starting at the parent's pages
        os.close(read)
        start_mb = _resident_mb()
        start = time.perf_counter()
        result = produce()
        elapsed = time.perf_counter() - start
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - start_mb
        with os.fdopen(write, "wb") as out:
            pickle.dump((elapsed, result, grown), out)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as incoming:
        answer = pickle.load(incoming)  # noqa: S301 - our own child's answer
    _, status = os.waitpid(pid, 0)
    if status != 0:
        raise RuntimeError(f"the measured child failed ({status})")
    return answer
