"""Identifying stars with SIMBAD: ask in batches, record the answer, merge aliases.

``resolve_stars`` asks SIMBAD outside any database transaction (slow I/O), then applies the
answers in one short transaction per batch. Stars found to be the same SIMBAD object meet in
one Star (the oldest); the other names become aliases, and measurements follow.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import django.dispatch
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lib.retry import backoff_seconds

from .models import SourceFacts, Star, StarAlias, designation_of
from .predictions import fetch_predictions_softly
from .simbad import (
    BATCH_SIZE,
    Resolution,
    SimbadClient,
    SimbadObject,
    SimbadQueryError,
    SimbadUnavailable,
    get_client,
)

# Sent after stars changed status, with ``star_ids``: curation refreshes the findings of the
# rows that name them (jmdc knows nothing of submissions).
stars_resolved = django.dispatch.Signal()

MAX_BACKOFF = datetime.timedelta(hours=6)


@dataclass
class ResolutionSummary:
    resolved: int = 0
    not_found: int = 0
    ambiguous: int = 0
    errors: int = 0
    merged: int = 0
    star_ids: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.resolved} resolved, {self.not_found} not found, {self.ambiguous} ambiguous, "
            f"{self.errors} errors, {self.merged} merged into an existing star"
        )


def backoff(attempts: int, retry_after: float | None = None) -> datetime.timedelta:
    """Exponential backoff with jitter from SIMBAD_RETRY_BASE_SECONDS; SIMBAD's Retry-After
    wins when it asks for longer. The retrying task waits until the time this gives, so the
    "next try at" the pages show is the real one."""
    seconds = backoff_seconds(
        attempts - 1,
        settings.SIMBAD_RETRY_BASE_SECONDS,
        cap=MAX_BACKOFF.total_seconds(),
        retry_after=retry_after,
    )
    return datetime.timedelta(seconds=seconds)


def resolve_stars(
    star_ids: Iterable[int],
    *,
    client: SimbadClient | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ResolutionSummary:
    """Ask SIMBAD about these stars and record what it says. Idempotent: resolved stars are
    skipped. ``SimbadUnavailable`` and ``SimbadQueryError`` propagate after the stars are
    marked ``error`` with the time of their next try."""
    client = client or get_client()
    stars = list(
        Star.objects.filter(pk__in=list(star_ids))
        .exclude(status=Star.Status.RESOLVED)
        .order_by("pk")
    )
    summary = ResolutionSummary()
    for start in range(0, len(stars), BATCH_SIZE):
        batch = stars[start : start + BATCH_SIZE]
        # The pages say "asking SIMBAD" while this batch waits for its answer.
        Star.objects.filter(pk__in=[s.pk for s in batch]).update(
            asking_since=timezone.now(), queued_at=None
        )
        try:
            answers = client.resolve([star.name for star in batch])
        except (SimbadUnavailable, SimbadQueryError) as exc:
            # A refused query will not improve by asking again soon: wait the longest.
            retry_after = getattr(exc, "retry_after", None) or (
                MAX_BACKOFF.total_seconds() if isinstance(exc, SimbadQueryError) else None
            )
            # First line in a few words (what the pages show), then everything for curators.
            reason = getattr(exc, "reason", "SIMBAD refused the query")
            _mark_error(batch, f"{reason}\n{exc}", retry_after)
            summary.errors += len(batch)
            stars_resolved.send(sender=Star, star_ids=[s.pk for s in batch])
            raise
        _apply(batch, answers, summary)
        if progress:
            progress(min(start + BATCH_SIZE, len(stars)), len(stars))
    if summary.star_ids:
        # Before the signal, so that the rows' findings compare them with their prediction.
        fetch_predictions_softly(summary.star_ids)
        stars_resolved.send(sender=Star, star_ids=summary.star_ids)
    return summary


def _mark_error(batch: list[Star], error: str, retry_after: float | None) -> None:
    now = timezone.now()
    with transaction.atomic():
        for star in Star.objects.select_for_update().filter(pk__in=[s.pk for s in batch]):
            star.attempts += 1
            star.status = Star.Status.ERROR
            star.last_error = error[:2000]
            star.next_attempt_at = now + backoff(star.attempts, retry_after)
            star.asking_since = None
            star.save(
                update_fields=[
                    "attempts",
                    "status",
                    "last_error",
                    "next_attempt_at",
                    "asking_since",
                ]
            )


def _apply(batch: list[Star], answers: dict[str, Resolution], summary: ResolutionSummary) -> None:
    now = timezone.now()
    with transaction.atomic():
        locked = {
            s.pk: s for s in Star.objects.select_for_update().filter(pk__in=[s.pk for s in batch])
        }
        said: list[SourceFacts] = []
        for star in locked.values():
            if star.status == Star.Status.RESOLVED:  # resolved meanwhile by another worker
                continue
            answer = answers[star.name]
            star.attempts += 1
            star.next_attempt_at = star.asking_since = None
            star.last_error = ""
            star.candidates = []
            if answer.status == "resolved":
                set_identity(star, answer.objects[0], now, queried_as=answer.query, facts=said)
                summary.resolved += 1
            elif answer.status == "not_found":
                star.status = Star.Status.NOT_FOUND
                star.last_error = f"SIMBAD knows no object named {answer.query!r}."
                summary.not_found += 1
            else:
                star.status = Star.Status.AMBIGUOUS
                star.candidates = [candidate_dict(obj) for obj in answer.objects]
                star.last_error = (
                    f"SIMBAD finds {len(answer.objects)} objects for {answer.query!r}."
                )
                summary.ambiguous += 1
            star.save()
            summary.star_ids.append(star.pk)
        replace_simbad_facts(said)  # before the merges, which move each star's facts
        summary.merged += merge_duplicates(
            [s for s in locked.values() if s.status == Star.Status.RESOLVED]
        )


def set_identity(
    star: Star,
    obj: SimbadObject,
    now=None,
    *,
    queried_as: str = "",
    facts: list[SourceFacts] | None = None,
) -> None:
    """SIMBAD's answer becomes the star's own identity (it overrides what the cross-match
    said, which stays in the star's SourceFacts) and, for a saved star, SIMBAD's dated facts
    beside the other sources': written at once, or added to ``facts`` for the caller to write
    a whole batch's in two queries (``replace_simbad_facts``). The caller saves the star."""
    star.status = Star.Status.RESOLVED
    star.main_id = obj.main_id
    star.ra, star.dec = obj.ra, obj.dec
    star.otype, star.sp_type = obj.otype[:32], obj.sp_type[:64]
    star.hd, star.hip = obj.identifier("HD"), obj.identifier("HIP")
    star.simbad_id1 = obj.id1
    star.identifiers = "|".join(obj.identifiers)
    star.candidates = []
    star.resolved_at = now or timezone.now()
    if star.pk is not None:
        said = simbad_facts(star, obj, star.resolved_at, queried_as=queried_as)
        if facts is None:
            replace_simbad_facts([said])
        else:
            facts.append(said)


def simbad_facts(
    star: Star, obj: SimbadObject, when: datetime.datetime, *, queried_as: str = ""
) -> SourceFacts:
    """SIMBAD's word on the star (unsaved), dated the day it answered."""
    return SourceFacts(
        star=star,
        source=SourceFacts.Source.SIMBAD,
        reference=f"SIMBAD TAP {settings.SIMBAD_TAP_URL}"[:300],
        as_of=timezone.localdate(when),
        queried_as=(queried_as or star.name)[:100],
        ra=obj.ra,
        dec=obj.dec,
        hd=obj.identifier("HD"),
        hip=obj.identifier("HIP"),
        two_mass=obj.identifier_starting("2MASS J")[:32],
        gaia=(obj.identifier_starting("Gaia DR3 ") or obj.identifier_starting("Gaia DR2 "))[:48],
        sp_type=obj.sp_type[:64],
        # The main type first: the one a page shows when it has room for one.
        object_types=",".join(
            dict.fromkeys(t for t in (obj.otype, *obj.object_types.split(",")) if t)
        )[:300],
        v_mag=obj.v_mag,
        j_mag=obj.j_mag,
        h_mag=obj.h_mag,
        k_mag=obj.k_mag,
    )


def replace_simbad_facts(facts: list[SourceFacts]) -> None:
    """SIMBAD's new words replace its earlier ones on those stars: two queries for a batch,
    not two per star inside the batch's transaction."""
    if not facts:
        return
    SourceFacts.objects.filter(
        source=SourceFacts.Source.SIMBAD, star_id__in=[f.star_id for f in facts]
    ).delete()
    SourceFacts.objects.bulk_create(facts, batch_size=500)


def record_simbad_facts(
    star: Star, obj: SimbadObject, when: datetime.datetime, *, queried_as: str = ""
) -> None:
    """SIMBAD's word on one star; its earlier answer is replaced."""
    replace_simbad_facts([simbad_facts(star, obj, when, queried_as=queried_as)])


def star_for_object(name: str, obj: SimbadObject) -> Star:
    """The star SIMBAD's ``obj`` is, for a name met outside the catalogue (an exposure's
    target): the resolved star with that main id, or the star of that name made resolved, or a
    new star. The name stays findable (as the star's name or an alias). Call in a transaction."""
    keeper = (
        Star.objects.filter(main_id=obj.main_id, status=Star.Status.RESOLVED).order_by("pk").first()
    )
    # The star of that name, or of its canonical designation (HD10700 for HD 10700): a new
    # star beside it would be the same star twice.
    designation = designation_of(name)
    same = Q(name=name) | Q(designation=designation) if designation else Q(name=name)
    named = Star.objects.select_for_update().filter(same).order_by("pk").first()
    if named is not None and named.status != Star.Status.RESOLVED:
        set_identity(named, obj)
        named.save()
        merge_duplicates([named])
        return keeper or named
    if named is not None:
        return named
    if keeper is not None:
        StarAlias.objects.get_or_create(name=name, defaults={"star": keeper})
        return keeper
    star = Star(name=name)
    set_identity(star, obj)
    star.save()
    record_simbad_facts(star, obj, star.resolved_at)
    return star


def candidate_dict(obj: SimbadObject) -> dict:
    return {"main_id": obj.main_id, "ra": obj.ra, "dec": obj.dec, "otype": obj.otype,
            "sp_type": obj.sp_type, "identifiers": list(obj.identifiers)}  # fmt: skip


def merge_duplicates(stars: list[Star], *, actor=None) -> int:
    """Stars with the same SIMBAD main id become one: the oldest keeps its row, the others
    are merged into it (``merge_into``). Returns how many merged."""
    main_ids = {star.main_id for star in stars if star.main_id}
    keepers: dict[str, Star] = {}
    for star in Star.objects.filter(main_id__in=main_ids, status=Star.Status.RESOLVED).order_by(
        "-pk"
    ):
        keepers[star.main_id] = star  # descending pk: the oldest is written last and stays
    merged = 0
    with transaction.atomic():
        for star in stars:
            keeper = keepers.get(star.main_id)
            if keeper is None or keeper.pk == star.pk:
                continue
            merge_into(
                star,
                keeper,
                reason=f"same SIMBAD object ({keeper.main_id}) as {star.name}",
                actor=actor,
            )
            merged += 1
    return merged


def merge_into(star, keeper, *, reason: str, actor=None) -> None:
    """One star found to be another (same SIMBAD object, same canonical designation): its
    measurements move to ``keeper`` with a history record each saying where and why (by
    ``actor``, or None for the portal itself), its name and aliases become the keeper's
    aliases, other apps' rows that point at it follow, and the star is deleted. Call in a
    transaction.

    The models are those of ``star``'s own registry, so that the data migration that merged
    the stars of one designation (jmdc 0015) runs the same code on its historical models;
    hence the history records written here rather than by simple_history's helpers, which
    need the live model."""
    apps = type(star)._meta.apps
    measurements = apps.get_model("jmdc", "Measurement")
    history = apps.get_model("jmdc", "HistoricalMeasurement")
    aliases = apps.get_model("jmdc", "StarAlias")
    # Locked: the history record copies every column, so a correction saved meanwhile must not
    # be overwritten by the values read here.
    moved = list(measurements.objects.select_for_update().filter(star=star).order_by("pk"))
    tracked = [
        f.attname for f in history._meta.concrete_fields if not f.name.startswith("history_")
    ]
    now = timezone.now()
    change = f"moved to star {keeper.name}: {reason}"
    for measurement in moved:
        measurement.star_id = keeper.pk
    measurements.objects.bulk_update(moved, ["star"], batch_size=500)
    history.objects.bulk_create(
        [
            history(
                **{name: getattr(m, name) for name in tracked},
                history_date=now,
                history_type="~",
                history_user_id=getattr(actor, "pk", None),
                # the column's width (simple_history's default: 100 characters)
                history_change_reason=change[
                    : history._meta.get_field("history_change_reason").max_length
                ],
            )
            for m in moved
        ],
        batch_size=500,
    )
    aliases.objects.filter(star=star).update(star=keeper)
    if not aliases.objects.filter(name=star.name).exists():
        aliases.objects.create(name=star.name, designation=star.designation, star=keeper)
    _move_other_references(star, keeper)
    star.delete()


def _move_other_references(old, keeper) -> None:
    """Rows of other apps that point at a star (exposures of obsportal, what a source says of
    it) follow it too. Where the keeper already has the row a uniqueness holds one of (one
    source's word per star), the keeper's stays: both spoke of one object."""
    for relation in type(old)._meta.related_objects:
        name = relation.related_model._meta.model_name
        # A foreign key seen from the star is one-to-many (``many_to_one`` is the key's own side,
        # never true here: testing it skipped every row, so exposures lost their star).
        if name in ("measurement", "staralias") or not relation.one_to_many:
            continue
        model, field = relation.related_model, relation.field.name
        rows = model._default_manager.filter(**{field: old})
        for constraint in model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            if field in fields and getattr(constraint, "condition", None) is None:
                others = [f for f in fields if f != field]
                for values in model._default_manager.filter(**{field: keeper}).values(*others):
                    rows.filter(**values).delete()
        rows.update(**{field: keeper})
