"""Releases: a manager freezes the public catalogue as a version, and builds its files again
when a build failed or its task was lost."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jmdc import releases
from jmdc.models import CATALOGUE_FIELDS, Measurement, Release
from jmdc.tasks import enqueue_release_build

from ..models import AuditEntry, is_manager
from .errors import TransitionError
from .free_text import clean_comment, free_text_problem

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Action = AuditEntry.Action


def cut_release(
    *,
    actor: User,
    version: str,
    date: datetime.date | None = None,
    notes: str = "",
    build: bool = True,
) -> Release:
    """A manager freezes the public catalogue as release ``version`` and has its files built.

    The rows are copied in this transaction (the release is the catalogue of this moment,
    whatever is accepted or corrected while its files are written); the build runs as a task
    once the transaction is committed, unless ``build`` is False (the command builds in its
    own process and shows the progress).
    """
    if not is_manager(actor):
        raise PermissionDenied("Only catalogue managers cut releases.")
    version = (version or "").strip()
    if not version:
        raise releases.ReleaseError("Give the release a version (e.g. 2026.1).")
    # The notes are shown on the release page and kept in the audit: cleaned and capped as
    # a comment is (the page says what was removed; the command passes the text as given).
    notes = clean_comment(notes)
    if problem := free_text_problem(notes):
        raise releases.ReleaseError(f"Release notes: {problem}")
    try:
        Release._meta.get_field("version").run_validators(version)
    except ValidationError as exc:
        raise releases.ReleaseError(f"Version {version!r}: {' '.join(exc.messages)}") from exc
    with transaction.atomic():
        public = Measurement.objects.public().in_export_order()
        rows = (
            (pk, tuple(values))
            for pk, *values in public.values_list("pk", *CATALOGUE_FIELDS).iterator(chunk_size=2000)
        )
        release = releases.freeze(
            rows,
            version=version,
            date=date or timezone.localdate(),
            created_by=actor,
            source="public measurements of the portal",
            notes=notes,
        )
        AuditEntry.objects.create(
            actor=actor, action=Action.CUT_RELEASE, release=release, text=notes,
            changes={"version": version, "rows": release.row_count},
        )  # fmt: skip
        if build:
            transaction.on_commit(lambda: enqueue_release_build(release.pk))
    return release


def build_release_again(release: Release, *, actor: User) -> Release:
    """A manager starts the build of a release that failed or whose task was lost (a broker
    down when it was cut). A ready release is never built again."""
    if not is_manager(actor):
        raise PermissionDenied("Only catalogue managers build releases.")
    with transaction.atomic():
        release = Release.objects.select_for_update().get(pk=release.pk)
        if release.status == Release.Status.READY:
            raise TransitionError(f"Release {release.version} is ready: its files never change.")
        release.status, release.error = Release.Status.BUILDING, ""
        release.progress, release.stage = 0, "queued again"
        release.save(update_fields=["status", "error", "progress", "stage"])
        AuditEntry.objects.create(actor=actor, action=Action.BUILD_RELEASE, release=release)
        transaction.on_commit(lambda: enqueue_release_build(release.pk))
    return release
