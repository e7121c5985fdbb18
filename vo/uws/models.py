"""A TAP query run asynchronously (UWS 1.1): the job, its phase, its limits, its result.

The result is kept in the database, as the catalogue's export jobs keep theirs: the web
container and the worker share no folder (docker-compose.yml), the database they both have.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_job_id() -> str:
    # Anonymous jobs are reachable by whoever holds the URL: the id is the only secret.
    return secrets.token_hex(16)


def async_timeout_seconds() -> int:
    return int(settings.TAP_ASYNC_TIMEOUT_SECONDS)


def job_lifetime() -> datetime.timedelta:
    lifetime = settings.TAP_JOB_LIFETIME
    if not isinstance(lifetime, datetime.timedelta):
        lifetime = datetime.timedelta(seconds=float(lifetime))
    return lifetime


def default_destruction() -> datetime.datetime:
    return timezone.now() + job_lifetime()


class JobQuerySet(models.QuerySet):
    def visible_to(self, user) -> JobQuerySet:
        """The jobs a caller may address: a signed-in user's own, or, for anyone, the
        anonymous ones (their unguessable id is the key); never one past its destruction
        time, even before the periodic cleanup has deleted it."""
        alive = self.filter(destruction__gt=timezone.now())
        if user is not None and user.is_authenticated:
            return alive.filter(models.Q(owner=user) | models.Q(owner__isnull=True))
        return alive.filter(owner__isnull=True)

    def listed_for(self, user, address: str) -> JobQuerySet:
        """The caller's job list: a user's jobs, or those an anonymous client created from
        its address (the list must not hand out other people's anonymous job ids)."""
        alive = self.filter(destruction__gt=timezone.now())
        if user is not None and user.is_authenticated:
            return alive.filter(owner=user)
        return alive.filter(owner__isnull=True, client_address=address)

    def live(self) -> JobQuerySet:
        return self.filter(phase__in=Job.LIVE_PHASES)


class Job(models.Model):
    class Phase(models.TextChoices):
        PENDING = "PENDING"
        QUEUED = "QUEUED"
        EXECUTING = "EXECUTING"
        COMPLETED = "COMPLETED"
        ERROR = "ERROR"
        ABORTED = "ABORTED"

    LIVE_PHASES = (Phase.PENDING, Phase.QUEUED, Phase.EXECUTING)
    FINISHED_PHASES = (Phase.COMPLETED, Phase.ERROR, Phase.ABORTED)

    id = models.CharField(primary_key=True, max_length=32, default=new_job_id, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text="Empty for an anonymous job, which whoever holds its URL may address.",
    )
    client_address = models.CharField(
        max_length=64, blank=True, help_text="Who created an anonymous job: its quota and list."
    )
    run_id = models.CharField(max_length=200, blank=True)
    base_url = models.CharField(
        max_length=300, blank=True, help_text="Where the request came to: links in the result."
    )
    phase = models.CharField(max_length=16, choices=Phase.choices, default=Phase.PENDING)
    parameters = models.JSONField(
        default=dict, help_text="The parameters as given, names upper-cased (DALI)."
    )
    execution_duration = models.PositiveIntegerField(
        default=async_timeout_seconds, help_text="Seconds the query may run."
    )
    destruction = models.DateTimeField(default=default_destruction, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    error_summary = models.TextField(blank=True)
    backend_pid = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The database session running the job's query, while it runs: an ABORT or "
        "a DELETE cancels it there; set, the job counts against the quota even once aborted.",
    )

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "phase"])]

    def __str__(self) -> str:
        return f"TAP job {self.id} ({self.phase})"

    @property
    def finished(self) -> bool:
        return self.phase in self.FINISHED_PHASES

    @property
    def quote(self) -> datetime.datetime:
        """When the job should be over at the latest: its end, else its start (or now, for a
        job not started) plus the time it may run."""
        if self.ended_at is not None:
            return self.ended_at
        start = self.started_at or timezone.now()
        return start + datetime.timedelta(seconds=self.execution_duration)


class JobResult(models.Model):
    """A completed job's result, apart from the job so that lists and job documents never
    read the bytes."""

    job = models.OneToOneField(
        Job, on_delete=models.CASCADE, primary_key=True, related_name="result"
    )
    content = models.BinaryField()
    content_type = models.CharField(max_length=100)
    overflow = models.BooleanField(
        default=False, help_text="More rows matched than MAXREC allowed (QUERY_STATUS=OVERFLOW)."
    )
    rows = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"result of {self.job_id}"
