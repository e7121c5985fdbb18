"""Background work of ObsPortal: identifying exposure targets with SIMBAD."""

import logging

from celery import shared_task

from .targets import identify_targets

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def identify_targets_task() -> str:
    """Idempotent: only pending exposures are looked at. Runs after each ingestion and every
    hour (beat), which also catches whatever waited for an unreachable SIMBAD."""
    summary = identify_targets()
    if summary.simbad_error:
        logger.warning("target identification: %s", summary)
    return str(summary)
