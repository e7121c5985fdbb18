"""The unpublished side of the catalogue: submissions, their rows, and the audit trail.

State changes never happen here: they go through ``curation.services`` (one function per
transition), which locks the row, checks who may act, writes the audit entry in the same
transaction and sends e-mails only after commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

# The role groups are defined with the accounts (accounts/roles.py); named here too because the
# workflow code has always imported them from its models.
from accounts.roles import CURATORS, MANAGERS, ROLE_GROUPS, collaboration_groups  # noqa: F401
from jmdc.models import BandCode, IdentificationState, Measurement, Method, Release, Star

# Who is a curator: whoever holds this permission, through a role group, given to them
# directly, or as a superuser. Asked of one user (is_curator) and of the database (curators).
CURATOR_PERMISSION = "curation.review_submission"


def is_curator(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(CURATOR_PERMISSION))


def curators():
    """The active users ``is_curator`` says yes to, in one query (the backend's own reading
    of the permission, so the two cannot disagree)."""
    # ModelBackend is the backend that grants permissions here (axes only refuses logins).
    return get_user_model().objects.with_perm(
        CURATOR_PERMISSION, is_active=True, backend="django.contrib.auth.backends.ModelBackend"
    )


def is_manager(user) -> bool:
    """A catalogue manager cuts releases: the catalogue's own permission (portal/roles.py gives
    it to the managers group)."""
    return bool(user and user.is_authenticated and user.has_perm("jmdc.manage_releases"))


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, user) -> SubmissionQuerySet:
        """The one place that decides who sees a submission: its author, the members of its
        collaboration group, and curators. Everyone else gets a 404, not a 403."""
        if user is None or not user.is_authenticated:
            return self.none()
        if is_curator(user):
            return self.all()
        return self.filter(Q(author=user) | Q(group__in=user.groups.all())).distinct()

    def review_queue(self) -> SubmissionQuerySet:
        return self.filter(state__in=[Submission.State.SUBMITTED, Submission.State.IN_REVIEW])


class Submission(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "draft"
        SUBMITTED = "submitted", "submitted"
        IN_REVIEW = "in_review", "in review"
        CHANGES_REQUESTED = "changes_requested", "changes requested"
        ACCEPTED = "accepted", "accepted"
        REJECTED = "rejected", "rejected"

    class Source(models.TextChoices):
        FORM = "form", "web form"
        UPLOAD = "upload", "file upload"
        API = "api", "REST API"

    title = models.CharField(max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submissions"
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
        help_text="Collaboration group that shares the draft and owns embargoed results.",
    )
    embargo_until = models.DateField(
        null=True, blank=True, help_text="Accepted rows stay visible to the group only until then."
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FORM)
    file_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
    )

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        permissions = [
            ("review_submission", "Can review submissions (curator)"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(embargo_until__isnull=True) | Q(group__isnull=False),
                name="submission_embargo_has_group",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"Submission {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("curation:submission", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.CHANGES_REQUESTED)

    def identification(self) -> Identification | None:
        """Where SIMBAD's identification of the rows' names stands (a worker task started at
        submit); None for a draft, whose names are not asked yet."""
        if self.state == self.State.DRAFT:
            return None
        names = sorted({row.id1.strip() for row in self.rows.all() if row.id1.strip()})
        stars = Star.objects.named(names)
        now = timezone.now()
        states = {
            name: (
                IdentificationState.of(stars[name], now)
                if name in stars
                else IdentificationState.of(Star(name=name), now)
            )
            for name in names
        }
        return Identification(states)


@dataclass(frozen=True)
class Identification:
    """Where SIMBAD's identification of a submission's names stands, name by name, in the
    vocabulary of ``jmdc.models.IdentificationState``."""

    states: dict[str, IdentificationState]

    @property
    def total(self) -> int:
        return len(self.states)

    @property
    def waiting(self) -> int:
        """Names the portal still works on by itself (queued, asking, SIMBAD unreachable)."""
        return sum(not state.settled for state in self.states.values())

    @property
    def active(self) -> bool:
        """A worker has the work in hand now (a task queued, or asking SIMBAD): the page shows
        a progress bar and follows it; otherwise it says when the next try is."""
        return any(s.code in ("queued", "asking") for s in self.states.values())

    @property
    def identified(self) -> int:
        return sum(s.code in ("identified", "by_curator") for s in self.states.values())

    @property
    def unsettled(self) -> list[str]:
        """ "name (not found in SIMBAD)": names a curator names by hand."""
        return [
            f"{name} ({state.text})"
            for name, state in self.states.items()
            if state.settled and state.code not in ("identified", "by_curator")
        ]

    @property
    def in_progress(self) -> list[str]:
        """ "name (SIMBAD unreachable; next try at ...)": what the portal is doing about each."""
        return [
            f"{name} ({state.text})" for name, state in self.states.items() if not state.settled
        ]

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * (self.total - self.waiting) / self.total)

    @property
    def stage(self) -> str:
        done = f"{self.identified} of {self.total} name{'s' if self.total != 1 else ''} identified by SIMBAD"
        return f"{done}; {'; '.join(self.in_progress)}" if self.in_progress else done


class SubmissionRow(models.Model):
    """One submitted measurement, with the catalogue's 12 columns and its findings.

    Values are stored as typed (nullable where the catalogue allows null); what a value
    breaks is in ``findings``, recomputed whenever the row or the catalogue around it changes.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField(help_text="Row number in the form or the file.")
    id1 = models.CharField("ID1", max_length=100, blank=True)
    id2 = models.CharField("ID2", max_length=100, blank=True)
    ud_diam = models.FloatField("UD_DIAM", null=True, blank=True)
    ld_diam = models.FloatField("LD_DIAM", null=True, blank=True)
    e_ld_diam = models.FloatField("E_LD_DIAM", null=True, blank=True)
    band = models.CharField("BAND", max_length=100, blank=True)
    mu_lambda = models.FloatField("MU_LAMBDA", null=True, blank=True)
    method = models.PositiveSmallIntegerField(
        "METHOD", choices=Method.choices, null=True, blank=True
    )
    bandcode = models.PositiveSmallIntegerField(
        "BANDCODE", choices=BandCode.choices, null=True, blank=True
    )
    notes = models.TextField("NOTES", blank=True)
    bibcode = models.CharField("BIBCODE", max_length=100, blank=True)
    sinpe = models.BooleanField("SINPE", default=False)
    cell_errors = models.JSONField(
        default=list, blank=True, help_text="Cells that could not be read, with their text."
    )
    findings = models.JSONField(default=list, blank=True)
    measurement = models.OneToOneField(
        Measurement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submission_row",
        help_text="The published row this became when the submission was accepted.",
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "position"], name="row_position_unique")
        ]

    def __str__(self) -> str:
        return f"row {self.position}: {self.id1}"

    @property
    def errors(self) -> list[dict]:
        return [f for f in self.findings if f["severity"] == "error"]

    @property
    def warnings(self) -> list[dict]:
        return [f for f in self.findings if f["severity"] == "warning"]


class AuditEntry(models.Model):
    """Who did what, when and why: every transition, comment and correction."""

    class Action(models.TextChoices):
        CREATE = "create", "created"
        EDIT = "edit", "edited rows"
        SUBMIT = "submit", "submitted"
        WITHDRAW = "withdraw", "withdrew"
        START_REVIEW = "start_review", "started the review"
        REQUEST_CHANGES = "request_changes", "asked for changes"
        ACCEPT = "accept", "accepted"
        REJECT = "reject", "rejected"
        COMMENT = "comment", "commented"
        CORRECT = "correct", "corrected a published measurement"
        IDENTIFY = "identify", "identified a star by hand"
        RETRY_IDENTIFICATION = "retry_identification", "asked SIMBAD again about a star"
        CUT_RELEASE = "cut_release", "cut a release"
        BUILD_RELEASE = "build_release", "started a release build again"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_entries"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    at = models.DateTimeField(default=timezone.now)
    # PROTECT: a submission's history outlives any attempt to delete it (nothing in the portal
    # deletes a submission; the admin refuses to). With CASCADE, deleting a submission deleted
    # its audit, stopped only by the audit admin's refusal to delete entries.
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, null=True, blank=True, related_name="audit"
    )
    measurement = models.ForeignKey(
        Measurement, on_delete=models.PROTECT, null=True, blank=True, related_name="audit"
    )
    star = models.ForeignKey(
        Star, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit"
    )
    release = models.ForeignKey(
        Release, on_delete=models.PROTECT, null=True, blank=True, related_name="audit"
    )
    state_from = models.CharField(max_length=20, blank=True)
    state_to = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True, help_text="The reason, or the comment.")
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.actor} {self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"


class OifitsFileQuerySet(models.QuerySet):
    def visible_to(self, user) -> OifitsFileQuerySet:
        """The one place that decides who may see (and download) an OIFITS file: whoever sees
        its row's submission, and, once the row is published, whoever sees its measurement
        (``Measurement.objects.visible_to``: public unless embargoed)."""
        submissions = Submission.objects.visible_to(user)
        measurements = Measurement.objects.visible_to(user)
        return self.filter(
            Q(row__submission__in=submissions) | Q(measurement__in=measurements)
        ).distinct()


class OifitsFileManager(models.Manager["OifitsFile"]):
    def get_queryset(self) -> OifitsFileQuerySet:
        # A file's bytes (up to OIFITS_MAX_BYTES) are read only by the download and the worker,
        # which ask for them (OifitsFile.read): a list that forgot to defer them would pull every
        # file of a row into a page, and visible_to's DISTINCT would compare them. Deferred here,
        # they are deferred in every query, the row's related manager's too.
        return OifitsFileQuerySet(self.model, using=self._db).defer("content")

    def visible_to(self, user) -> OifitsFileQuerySet:
        return self.get_queryset().visible_to(user)


class OifitsFile(models.Model):
    """An OIFITS file attached to a submitted row: its bytes as uploaded (``content``, in the
    database with the rest: the web and the worker share no folder, and a backup holds them),
    what its validation said, and the disc fit of the row's files
    (``curation.tasks.fit_oifits_task``). Kept with the measurement once the row is accepted."""

    class State(models.TextChoices):
        QUEUED = "queued", "waiting for a worker"
        FITTING = "fitting", "being fitted"
        FITTED = "fitted", "fitted"
        FAILED = "failed", "no fit"

    row = models.ForeignKey(SubmissionRow, on_delete=models.CASCADE, related_name="oifits_files")
    measurement = models.ForeignKey(
        Measurement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="oifits_files",
        help_text="The published row the file's row became (set by the accept).",
    )
    name = models.CharField(max_length=255, help_text="The file's name as uploaded.")
    # Null only for a file whose bytes were lost before the portal kept them here (migration
    # 0009 found no file on disk): its row says so and the file is attached again.
    content = models.BinaryField(null=True, help_text="The file's bytes as uploaded.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    revision = models.PositiveSmallIntegerField(null=True, blank=True)
    problems = models.JSONField(
        default=list, blank=True, help_text="Deviations from the standard (warnings)."
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    # When the fit was last asked of a worker: a file still queued long after is asked again
    # by the sweep (curation.tasks.sweep_queued_oifits), whatever became of the message.
    queued_at = models.DateTimeField(default=timezone.now)
    # The fit of all the row's files together (the same on each of them), as fit.Fits:
    # {"uniform": DiscFit, "limb_darkened": DiscFit, "targets": [...], "files": [...]}.
    fit = models.JSONField(null=True, blank=True)
    # This file's own points, for the charts: {"frequency", "vis2", "error", "u", "v", "wavelength"}.
    points = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why the fit could not be made.")
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = OifitsFileManager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = "OIFITS file"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("curation:oifits_download", args=[self.pk])

    def read(self) -> bytes | None:
        """The file's bytes (one query: the managers defer them); None if they were lost."""
        content = OifitsFile.objects.filter(pk=self.pk).values_list("content", flat=True).get()
        return None if content is None else bytes(content)
