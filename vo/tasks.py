"""Celery finds an app's tasks in its ``tasks`` module: the VO's live beside their code."""

from vo.uws.tasks import destroy_expired_jobs, run_job

__all__ = ["destroy_expired_jobs", "run_job"]
