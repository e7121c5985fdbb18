"""What the validation rules know beyond the row: the catalogue's published rows and what
SIMBAD said of each name, gathered once per batch (``build_context``) so that the rules
(``curation.rules``) stay pure functions of a row and this context."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from jmdc.models import Measurement, Star, StarAlias
from jmdc.predictions import Prediction, predictions_of

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
    # Published rows the submitter may see, by (ID1, BIBCODE): tuples (band, ud, ld, pk),
    # for duplicate warnings.
    published: dict[tuple[str, str], list[tuple]] = field(default_factory=dict)
    # The other published rows (embargoed for others), likewise: told to curators only, or
    # the warning would tell an outsider that an embargoed result with these values exists.
    unseen: dict[tuple[str, str], list[tuple]] = field(default_factory=dict)
    # SIMBAD facts by identifier (the ID1 as submitted).
    stars: dict[str, StarFacts] = field(default_factory=dict)


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
    others go to ``unseen``, of which the rules speak to curators only.
    """
    rows = list(rows)
    names = {(getattr(row, "id1", "") or "").strip() for row in rows}
    names.discard("")
    if seen is None:
        seen = Measurement.objects.visible_to(viewer)
    visible = set(seen.filter(id1__in=names).values_list("pk", flat=True))
    published: dict[tuple[str, str], list[tuple]] = {}
    unseen: dict[tuple[str, str], list[tuple]] = {}
    for id1, bibcode, band, ud, ld, pk in Measurement.objects.filter(id1__in=names).values_list(
        "id1", "bibcode", "band", "ud_diam", "ld_diam", "pk"
    ):
        target = published if pk in visible else unseen
        target.setdefault((id1, bibcode), []).append((band, ud, ld, pk))

    named = {star.name: star for star in Star.objects.filter(name__in=names)}
    for alias in StarAlias.objects.filter(name__in=names).select_related("star"):
        named.setdefault(alias.name, alias.star)
    predicted = predictions_of(star.pk for star in named.values())
    stars = {name: star_facts(star, predicted.get(star.pk)) for name, star in named.items()}
    return RuleContext(published=published, unseen=unseen, stars=stars)


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
