"""What the validation rules know beyond the row: the catalogue's published rows and what
SIMBAD said of each name, gathered once per batch (``build_context``) so that the rules
(``curation.rules``) stay pure functions of a row and this context."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from jmdc.models import Measurement, Star
from jmdc.predictions import Prediction, predictions_of
from lib.designations import match_key

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from .models import Submission


@dataclass(frozen=True)
class StarFacts:
    """What SIMBAD said of an identifier (filled by the SIMBAD resolution), and the star's
    predicted diameter (jmdc.predictions)."""

    status: str
    main_id: str = ""
    ra: float | None = None
    dec: float | None = None
    otype: str = ""
    prediction: Prediction | None = None


@dataclass
class RuleContext:
    # Published rows the submitter may see, by (identity of the star, BIBCODE): tuples (band,
    # ud, ld, pk), for duplicate warnings. The identity is the one ``identity`` gives.
    published: dict[tuple[str, str], list[tuple]] = field(default_factory=dict)
    # The other published rows (embargoed for others), likewise: told to curators only, or
    # the warning would tell an outsider that an embargoed result with these values exists.
    unseen: dict[tuple[str, str], list[tuple]] = field(default_factory=dict)
    # SIMBAD facts by identifier (the ID1 as submitted).
    stars: dict[str, StarFacts] = field(default_factory=dict)
    # The catalogue star each submitted ID1 is (``star_identity``), where it is one.
    identities: dict[str, str] = field(default_factory=dict)

    def identity(self, name: str) -> str:
        """What a row's star is compared on, not its typed text: the catalogue's star of the
        name (found by its canonical designation, its text or an alias: HD 10700 is the star
        of HD10700), else the name's canonical designation, else the name, blanks squeezed."""
        name = name.strip()
        return self.identities.get(name) or match_key(name)


def star_identity(star_id: int) -> str:
    return f"star {star_id}"


def build_context(
    rows: Iterable,
    *,
    viewer: User | AnonymousUser,
    seen: QuerySet[Measurement] | None = None,
) -> RuleContext:
    """What the rules need to know of the catalogue, SIMBAD and the stars' predicted diameters
    for these rows, in 5 queries.

    The duplicate check looks with ``viewer``'s eyes: it names only the measurements the
    viewer may see (``seen``, by default ``Measurement.objects.visible_to(viewer)``); the
    others go to ``unseen``, of which the rules speak to curators only. It compares stars,
    not spellings: the published rows of the star each ID1 is.
    """
    rows = list(rows)
    names = {(getattr(row, "id1", "") or "").strip() for row in rows}
    names.discard("")
    stars_of = Star.objects.named(names)
    star_ids = {star.pk for star in stars_of.values()}
    if seen is None:
        seen = Measurement.objects.visible_to(viewer)
    visible = set(seen.filter(star_id__in=star_ids).values_list("pk", flat=True))
    published: dict[tuple[str, str], list[tuple]] = {}
    unseen: dict[tuple[str, str], list[tuple]] = {}
    for star_id, bibcode, band, ud, ld, pk in Measurement.objects.filter(
        star_id__in=star_ids
    ).values_list("star_id", "bibcode", "band", "ud_diam", "ld_diam", "pk"):
        target = published if pk in visible else unseen
        target.setdefault((star_identity(star_id), bibcode), []).append((band, ud, ld, pk))

    predicted = predictions_of(star.pk for star in stars_of.values())
    return RuleContext(
        published=published,
        unseen=unseen,
        stars={name: star_facts(star, predicted.get(star.pk)) for name, star in stars_of.items()},
        identities={name: star_identity(star.pk) for name, star in stars_of.items()},
    )


def star_facts(star: Star, prediction: Prediction | None = None) -> StarFacts:
    return StarFacts(star.status, star.main_id, star.ra, star.dec, star.otype, prediction)


def seen_by_its_people(submission: Submission) -> QuerySet[Measurement]:
    """The measurements everyone who may open the submission may see: its author and, when
    it is shared, its group's members (not the rows of the author's other groups)."""
    seen = Measurement.objects.visible_to(submission.author)
    if submission.group_id is None:
        return seen
    return seen.filter(
        Q(pk__in=Measurement.objects.public().values("pk")) | Q(group_id=submission.group_id)
    )
