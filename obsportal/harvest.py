"""Harvesting the ESO archive: the VLTI exposures changed since the last run, page by page.

A run lists the interferometric SCIENCE and CALIB raw files of the archive in the order of
their last modification, from the mark the previous run reached. For each page it fetches the
headers (cached on disk), maps them with the same function as ``ingest_headers``, upserts the
exposures in bulk and commits the page together with the new mark. So a run that stops (the
archive down, a worker killed) keeps what it did, and the next run resumes after the last
committed page. The archive's own catalogue adds what headers lack: programme title, PI/CoI,
release date. Targets are then identified (targets.py).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .eso import ArchiveUnavailable, EsoArchive, Mark
from .headers import NotAnExposure
from .ingest import IngestReport, record_of, upsert
from .models import HarvestRun

logger = logging.getLogger(__name__)
STALE_AFTER = datetime.timedelta(minutes=30)  # a running harvest with no sign of life
SKIPPED_LOG_MAX = 200


class HarvestBusy(Exception):
    pass


def start_run(started_by: str = "") -> HarvestRun:
    """A new run from the mark the last one reached; ``HarvestBusy`` if one is running."""
    now = timezone.now()
    with transaction.atomic():
        for run in HarvestRun.objects.select_for_update().filter(status=HarvestRun.Status.RUNNING):
            if run.heartbeat > now - STALE_AFTER:
                raise HarvestBusy(
                    f"Harvest {run.pk} is running since {run.started_at:%Y-%m-%d %H:%M} UTC "
                    f"({run.done} of {run.total or '?'} files)."
                )
            run.status = HarvestRun.Status.FAILED
            run.error = f"Interrupted: no sign of life since {run.heartbeat:%Y-%m-%d %H:%M} UTC."
            run.finished_at = now
            run.save()
        last = HarvestRun.objects.exclude(status=HarvestRun.Status.RUNNING).order_by("-pk").first()
        mark = (
            Mark(last.reached_modified, last.reached_dp_id)
            if last
            else Mark(settings.ESO_HARVEST_START)
        )
        try:
            with transaction.atomic():
                return HarvestRun.objects.create(
                    started_by=started_by[:150],
                    since_modified=mark.modified,
                    since_dp_id=mark.dp_id,
                    reached_modified=mark.modified,
                    reached_dp_id=mark.dp_id,
                )
        except IntegrityError:  # another start won the race
            raise HarvestBusy("Another harvest has just started.") from None


def run_harvest(
    run: HarvestRun, *, archive: EsoArchive | None = None, max_files: int | None = None
) -> HarvestRun:
    """Carry ``run`` to the end of the archive's list (or ``max_files``). Never raises for
    an archive failure: the run ends FAILED with the error, its committed pages kept."""
    archive = archive or EsoArchive()
    mark = Mark(run.reached_modified, run.reached_dp_id)
    try:
        run.total = archive.count_changed(mark)
        if max_files is not None:
            run.total = min(run.total, max_files)
        run.save(update_fields=["total", "heartbeat"])
        while max_files is None or run.done < max_files:
            limit = settings.ESO_HARVEST_PAGE
            if max_files is not None:
                limit = min(limit, max_files - run.done)
            files = archive.changed_files(mark, limit)
            if not files:
                break
            _harvest_page(run, archive, files)
            mark = files[-1].mark
        run.status = HarvestRun.Status.DONE
    except ArchiveUnavailable as exc:
        run.status = HarvestRun.Status.FAILED
        run.error = (
            f"{exc} The next run resumes after {run.reached_dp_id or 'the start'} "
            f"(modified {run.reached_modified})."
        )
        logger.warning("ESO harvest %s stopped: %s", run.pk, exc)
    except Exception as exc:
        run.status = HarvestRun.Status.FAILED
        run.error = f"Unexpected error: {exc!r}"
        raise
    finally:
        run.finished_at = timezone.now()
        run.save()
    return run


def _harvest_page(run: HarvestRun, archive: EsoArchive, files) -> None:
    records, skipped = [], []
    for file in files:
        text = archive.header(file)  # I/O before the transaction
        try:
            record = record_of(text.encode("ascii", "replace"))
        except NotAnExposure as exc:
            skipped.append(f"{file.dp_id}: {exc}")
            continue
        except ValueError as exc:
            skipped.append(f"{file.dp_id}: unreadable header ({exc})")
            continue
        record.program_title = file.program_title
        record.program_pi_coi = file.pi_coi
        record.date_release = file.release_date
        records.append(record)
    report = IngestReport()
    with transaction.atomic():
        upsert(records, report)
        run.done += len(files)
        run.created += report.created
        run.updated += report.updated
        run.skipped += len(skipped)
        room = SKIPPED_LOG_MAX - len(run.skipped_log)
        run.skipped_log = [*run.skipped_log, *skipped[: max(0, room)]]
        run.reached_modified, run.reached_dp_id = files[-1].modified, files[-1].dp_id
        run.save()
