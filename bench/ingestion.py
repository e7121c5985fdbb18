"""Ingestion of header records: ``obsportal.ingest.upsert`` in bulk against what a naive
ingester does, each record its own transaction: a save per new record, a read and a save per
changed one. Goal: the bulk at least 20x.

Measured on a table that already holds BENCH_EXPOSURES synthetic exposures (30,000 unless
set; bench/growth.py runs the same measurement at each of its sizes), with SYNTHETIC header
records (obsportal.synthetic): new exposures (COPY on PostgreSQL, bulk_create on SQLite),
then the same exposures again with one card changed, then with their baselines changed (the
update path). Until 56d2e5f changed exposures were compared with a new record's save, about
twice as fast as a read and a save: both ratios are printed."""

import os
import statistics
import time

from django.utils import timezone

from bench.obsportal_data import ensure_exposures
from obsportal import synthetic
from obsportal.ingest import IngestReport, upsert
from obsportal.models import Exposure

SAVED_ONE_BY_ONE = 1_000  # header records saved one at a time, then read and saved again
BULK = 20_000  # header records ingested in bulk
PROGRAM = "INGEST"  # not the synthetic programme: ensure_exposures' rows stay
# Both rates move by up to 15% from one measurement to the next on this shared machine (a save
# waits for the disk): each rate is the median of ROUNDS, each round measuring all five, and a
# ratio is one of those medians over another.
ROUNDS = 3


def ingestion() -> tuple[float, ...]:
    """Rows per second, the median of ROUNDS rounds: a save per new header record, the bulk
    upsert of new exposures; a read and a save per changed record (what a naive ingester
    does with a known exposure), the bulk upsert of the same exposures with one card changed
    (the temperature: an UPDATE of 2 columns), then with their baselines changed (4 columns,
    the JSON and the clients' string among them)."""
    rounds = [ingestion_round() for _ in range(ROUNDS)]
    return tuple(statistics.median(rates) for rates in zip(*rounds, strict=True))


def _upserted(records: list, counted: str) -> float:
    report = IngestReport()
    start = time.perf_counter()
    upsert(records, report)
    rate = len(records) / (time.perf_counter() - start)
    assert getattr(report, counted) == len(records), report.lines()[-1]
    return rate


def ingestion_round() -> tuple[float, float, float, float, float]:
    records = list(synthetic.exposures(SAVED_ONE_BY_ONE + BULK, 200, seed=7))
    for record in records:
        record.exp_id, record.program = f"INGEST.{record.exp_id}", PROGRAM
    Exposure.objects.filter(program=PROGRAM).delete()
    now = timezone.now()
    start = time.perf_counter()
    for record in records[:SAVED_ONE_BY_ONE]:  # autocommit: a transaction per save
        Exposure(date_updated=now, **record.values()).save()
    one_by_one = SAVED_ONE_BY_ONE / (time.perf_counter() - start)
    start = time.perf_counter()
    for record in records[:SAVED_ONE_BY_ONE]:  # the archive reprocessed them: read, save
        exposure = Exposure.objects.get(exp_id=record.exp_id)
        exposure.temperature = (record.temperature or 0) + 1
        exposure.date_updated = timezone.now()  # as ingestion writes it: a new time, indexed
        exposure.save()
    one_by_one_changed = SAVED_ONE_BY_ONE / (time.perf_counter() - start)
    bulk_records = records[SAVED_ONE_BY_ONE:]
    created = _upserted(bulk_records, "created")
    for record in bulk_records:  # the archive reprocessed them
        record.temperature = (record.temperature or 0) + 1
    updated = _upserted(bulk_records, "updated")
    for record in bulk_records:  # and again, with every baseline 1 cm longer
        record.baselines = {
            pair: {**b, "length": [None if v is None else v + 0.01 for v in b["length"]]}
            for pair, b in record.baselines.items()
        }
    rebaselined = _upserted(bulk_records, "updated")
    Exposure.objects.filter(program=PROGRAM).delete()
    return one_by_one, created, one_by_one_changed, updated, rebaselined


def run() -> None:
    ensure_exposures(int(os.environ.get("BENCH_EXPOSURES", "30000")), 550, skew=0)
    one_by_one, created, one_by_one_changed, updated, rebaselined = ingestion()
    print(f"new exposures: a save per record {one_by_one:,.0f} rows/s, bulk {created:,.0f} rows/s "
          f"({created / one_by_one:.1f}x) (goal: 20x)")  # fmt: skip
    print(f"changed exposures: a read and a save per record {one_by_one_changed:,.0f} rows/s; "
          f"bulk, the temperature changed: {updated:,.0f} rows/s "
          f"({updated / one_by_one_changed:.1f}x; {updated / one_by_one:.1f}x a new record's save), "
          f"the baselines changed: {rebaselined:,.0f} rows/s ({rebaselined / one_by_one_changed:.1f}x; "
          f"{rebaselined / one_by_one:.1f}x a new record's save) (goal: 20x)")  # fmt: skip
