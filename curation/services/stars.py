"""Star identification by curators: SIMBAD asked again about stars it did not settle, and
stars named by hand (SIMBAD asked in a worker, never in the web request)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jmdc.models import Star
from jmdc.tasks import enqueue_resolution

from ..models import AuditEntry, is_curator
from .errors import SubmissionInvalid
from .free_text import clean_comment, free_text_problem

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Action = AuditEntry.Action


def retry_identification(star_ids: Iterable[int], *, actor: User) -> int:
    """Curators ask SIMBAD again about stars it did not settle (the curators' page, the Star
    admin's action). The stars are locked, set pending and audited, one entry per star, in one
    transaction; the task is queued once it is committed. Resolved stars are left alone."""
    if not is_curator(actor):
        raise PermissionDenied("Only curators retry identifications.")
    with transaction.atomic():
        stars = list(
            Star.objects.select_for_update()
            .filter(pk__in=list(star_ids))
            .exclude(status=Star.Status.RESOLVED)
            .order_by("pk")
        )
        ids = [star.pk for star in stars]
        Star.objects.filter(pk__in=ids).update(status=Star.Status.PENDING, next_attempt_at=None)
        AuditEntry.objects.bulk_create(
            AuditEntry(
                actor=actor,
                action=Action.RETRY_IDENTIFICATION,
                star=star,
                changes={"name": star.name, "before": {"status": star.status}},
            )
            for star in stars
        )
        transaction.on_commit(lambda: enqueue_resolution(ids))
    return len(ids)


def request_identification(star: Star, *, actor: User, identifier: str, reason: str = "") -> None:
    """A curator asks for a star to be named by hand. SIMBAD is asked by a worker, never in
    the web request (``curation.tasks.identify_star_task`` calls ``identify_star``); the
    outcome, done or refused, is an audit entry the curators' page lists."""
    from lib.enqueue import try_enqueue

    from ..tasks import identify_star_task

    if not is_curator(actor):
        raise PermissionDenied("Only curators identify stars by hand.")
    identifier = " ".join((identifier or "").split())
    if not identifier:
        raise SubmissionInvalid("No identifier.", ["Give the SIMBAD identifier of the object."])
    if len(identifier) > cast(int, Star._meta.get_field("name").max_length):
        raise SubmissionInvalid("Identifier too long.", ["A SIMBAD identifier is shorter."])
    reason = clean_comment(reason)
    if problem := free_text_problem(reason):
        raise SubmissionInvalid("The reason is too long.", [f"Reason: {problem}"])
    Star.objects.filter(pk=star.pk).update(queued_at=timezone.now())
    error = try_enqueue(
        identify_star_task, star.pk, actor.pk, identifier, reason,
        what=f"the identification of star {star.pk} by hand",
    )  # fmt: skip
    if error is not None:
        Star.objects.filter(pk=star.pk).update(queued_at=None)
        raise SubmissionInvalid(
            "The task queue is unreachable.",
            [
                "SIMBAD could not be asked: the task queue is unreachable. Try again in a few minutes."
            ],
        )


def identification_refused(
    star: Star, *, actor: User, identifier: str, reason: str, problem: str
) -> AuditEntry:
    """Audit a curator's identification that SIMBAD's answer did not allow (not one object,
    SIMBAD unreachable): the curators' page shows it beside the successful ones."""
    return AuditEntry.objects.create(
        actor=actor, action=Action.IDENTIFY, star=star, text=reason,
        changes={"identifier": identifier, "name": star.name, "refused": problem},
    )  # fmt: skip


def identify_star(star: Star, *, actor: User, identifier: str, reason: str = "") -> Star:
    """A curator names the SIMBAD object of a star by hand (one of the candidates of an
    ambiguous name, or another identifier). Runs in a worker (``request_identification``).
    SIMBAD is asked first, outside the transaction; the identity, the merge with an existing
    star and the audit entry are one transaction."""
    from jmdc.identification import merge_duplicates, set_identity
    from jmdc.simbad import get_client

    if not is_curator(actor):
        raise PermissionDenied("Only curators identify stars by hand.")
    identifier = (identifier or "").strip()
    if not identifier:
        raise SubmissionInvalid("No identifier.", ["Give the SIMBAD identifier of the object."])
    answer = get_client().resolve([identifier])[identifier]
    if answer.status != "resolved":
        found = ", ".join(o.main_id for o in answer.objects) or "nothing"
        raise SubmissionInvalid(
            "Not one object.",
            [f"SIMBAD finds {found} for {identifier!r}: give an identifier of exactly one object."],
        )
    with transaction.atomic():
        star = Star.objects.select_for_update().get(pk=star.pk)
        before = {"status": star.status, "main_id": star.main_id}
        set_identity(star, answer.objects[0])
        star.identified_by = actor
        star.attempts += 1
        star.last_error = ""
        star.next_attempt_at = None
        star.save()
        AuditEntry.objects.create(
            actor=actor, action=Action.IDENTIFY, star=star, text=reason.strip() or f"identified as {identifier}",
            changes={"before": before, "main_id": star.main_id, "identifier": identifier,
                     "name": star.name},
        )  # fmt: skip
        merged = merge_duplicates([star], actor=actor)
    if merged:  # the star was merged into an older one with the same identity
        return Star.objects.get(main_id=star.main_id, status=Star.Status.RESOLVED)
    return star
