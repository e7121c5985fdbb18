"""Background work of ObsPortal: the ESO archive harvest and the identification of targets."""

import logging

from celery import shared_task

from lib.enqueue import try_enqueue

from .harvest import HarvestBusy, run_harvest, start_run
from .models import HarvestRun
from .targets import identify_targets

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def identify_targets_task() -> str:
    """Idempotent: only pending exposures are looked at. Runs after each harvest and every
    hour (beat), which also catches whatever waited for an unreachable SIMBAD."""
    summary = identify_targets()
    if summary.simbad_error:
        logger.warning("target identification: %s", summary)
    return str(summary)


@shared_task(acks_late=True, ignore_result=True)
def harvest_task(run_id: int) -> str:
    """Carry a started harvest run to its end, then identify the new targets."""
    run = HarvestRun.objects.get(pk=run_id)
    if run.finished:
        return f"harvest {run_id} already {run.status}"
    run = run_harvest(run)
    if run.created or run.updated:
        try_enqueue(identify_targets_task, what="the identification of harvested targets")
    return f"harvest {run_id} {run.status}: {run.created} created, {run.updated} updated"


@shared_task(acks_late=True, ignore_result=True)
def scheduled_harvest() -> str:
    """Daily (beat): a new run from where the last one reached, unless one is running."""
    try:
        run = start_run("schedule")
    except HarvestBusy as exc:
        return str(exc)
    return harvest_task(run.pk)


def enqueue_harvest(started_by: str) -> tuple[HarvestRun, Exception | None]:
    """Start a run and queue it; raises HarvestBusy. With the broker down the run is marked
    failed at once (nothing was read), and the error is returned for the caller to show."""
    run = start_run(started_by)
    error = try_enqueue(harvest_task, run.pk, what=f"harvest {run.pk}")
    if error is not None:
        run.status = HarvestRun.Status.FAILED
        run.error = f"Could not queue the harvest (task broker unreachable: {error})."
        run.save()
    return run, error
