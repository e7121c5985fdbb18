"""What a page says a star is, and on whose word: SIMBAD's answer when SIMBAD has identified
the star (its own fields), else JMMC's cross-match (its SourceFacts), labelled with the
source and date, so that a snapshot of 2020 is never shown as a live SIMBAD answer."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from .models import SourceFacts, Star


@dataclass(frozen=True)
class ShownIdentity:
    source: str  # SourceFacts.Source: "simbad" or "crossmatch"
    as_of: datetime.date | None
    ra: float | None
    dec: float | None
    hd: str
    hip: str
    sp_type: str
    object_type: str  # SIMBAD's main type; for the cross-match, its list of types

    @property
    def from_simbad(self) -> bool:
        return self.source == SourceFacts.Source.SIMBAD

    @property
    def label(self) -> str:
        """Who says so, in the words of the pages: "SIMBAD", "JMMC cross-match of the
        catalogue, 2020-09-09"."""
        name = SourceFacts.Source(self.source).label
        return f"{name}, {self.as_of:%Y-%m-%d}" if self.as_of else name


def shown_identity(star: Star, facts: Iterable[SourceFacts]) -> ShownIdentity | None:
    """SIMBAD's identity of a resolved star, else the cross-match's; None when neither."""
    by_source = {f.source: f for f in facts}
    if star.status == Star.Status.RESOLVED:
        simbad = by_source.get(SourceFacts.Source.SIMBAD)
        return ShownIdentity(
            SourceFacts.Source.SIMBAD,
            simbad.as_of if simbad else None,
            star.ra,
            star.dec,
            star.hd,
            star.hip,
            star.sp_type,
            star.otype,
        )
    crossmatch = by_source.get(SourceFacts.Source.CROSSMATCH)
    if crossmatch is None:
        return None
    return ShownIdentity(
        SourceFacts.Source.CROSSMATCH,
        crossmatch.as_of,
        crossmatch.ra,
        crossmatch.dec,
        crossmatch.hd,
        crossmatch.hip,
        crossmatch.sp_type,
        crossmatch.object_types.replace(",", ", "),
    )


def identities_of_names(names: Iterable[str]) -> dict[str, ShownIdentity]:
    """The shown identity of the star of each name that has one, in a fixed number of
    queries whatever the number of names (a submission's rows: one lookup, not one per row)."""
    stars = Star.objects.named(names)
    facts: dict[int, list[SourceFacts]] = {}
    for fact in SourceFacts.objects.filter(
        star_id__in={star.pk for star in stars.values()},
        source__in=[SourceFacts.Source.SIMBAD, SourceFacts.Source.CROSSMATCH],
    ):
        facts.setdefault(fact.star_id, []).append(fact)
    shown = {name: shown_identity(star, facts.get(star.pk, ())) for name, star in stars.items()}
    return {name: identity for name, identity in shown.items() if identity is not None}
