"""The worker's side of TAP's async jobs."""

from celery import shared_task

from . import jobs


@shared_task(ignore_result=True)
def run_job(job_id: str) -> str:
    # The job's own limits bound the query (its executionDuration); what the worker does when
    # the job was aborted or deleted meanwhile is in jobs.execute.
    return jobs.execute(job_id)


@shared_task(ignore_result=True)
def destroy_expired_jobs() -> str:
    return f"{jobs.destroy_expired()} TAP jobs past their destruction time deleted"
