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


# -- the star page's identity block ---------------------------------------------------------
# Whose magnitudes the block shows first: SIMBAD's live answer, then the cross-match's snapshot.
MAGNITUDE_SOURCES = (SourceFacts.Source.SIMBAD, SourceFacts.Source.CROSSMATCH)
MAGNITUDES = (("V", "v_mag"), ("J", "j_mag"), ("H", "h_mag"), ("K", "k_mag"))


@dataclass(frozen=True)
class Attributed:
    """A value and who says it ("SIMBAD", "JMMC cross-match of the catalogue, 2020-09-09")."""

    value: str
    source: str


@dataclass(frozen=True)
class IdentityCard:
    main_id: str  # SIMBAD's main identifier, "" until SIMBAD has named the star
    other_names: list[str]
    position: Attributed | None  # "hh mm ss.sss +dd mm ss.ss"
    ra: float | None  # degrees (ICRS)
    dec: float | None
    sp_type: Attributed | None
    object_type: Attributed | None
    magnitudes: list[tuple[str, Attributed | None]]  # ("V", its value and source, or None)


def sexagesimal(ra: float, dec: float) -> str:
    """ICRS degrees as astronomers read them: 09 45 14.811 -62 30 28.45."""
    from astropy import units
    from astropy.coordinates import SkyCoord

    # astropy is imported here: a second at first import, which only this page pays.
    return SkyCoord(ra * units.deg, dec * units.deg, frame="icrs").to_string(
        "hmsdms", sep=" ", precision=3
    )


def _label(facts: SourceFacts) -> str:
    return f"{facts.get_source_display()}, {facts.as_of:%Y-%m-%d}"


def identity_card(star: Star, facts: Iterable[SourceFacts], aliases: Iterable[str]) -> IdentityCard:
    """What the star page's identity block says, each fact with its source: SIMBAD's when SIMBAD
    identified the star, else the cross-match's (``shown_identity``); the magnitudes from
    SIMBAD, else from the cross-match; every other name any source gives."""
    facts = list(facts)
    shown = shown_identity(star, facts)
    by_source = {f.source: f for f in facts}
    label = shown.label if shown else ""

    names: list[str] = []
    for name in (
        star.name,
        star.designation,
        *aliases,
        star.hd,
        star.hip,
        *(ident for f in facts for ident in f.identifier_list),
    ):
        if name and name not in names and name != star.main_id:
            names.append(name)

    position = None
    ra = dec = None
    if shown and shown.ra is not None and shown.dec is not None:
        ra, dec = shown.ra, shown.dec
        position = Attributed(sexagesimal(ra, dec), label)

    magnitudes: list[tuple[str, Attributed | None]] = []
    for band, field in MAGNITUDES:
        found = None
        for source in MAGNITUDE_SOURCES:
            said = by_source.get(source)
            if said is not None and getattr(said, field) is not None:
                found = Attributed(f"{getattr(said, field):.2f}", _label(said))
                break
        magnitudes.append((band, found))

    return IdentityCard(
        main_id=star.main_id if star.status == Star.Status.RESOLVED else "",
        other_names=names,
        position=position,
        ra=ra,
        dec=dec,
        sp_type=Attributed(shown.sp_type, label) if shown and shown.sp_type else None,
        object_type=Attributed(shown.object_type, label) if shown and shown.object_type else None,
        magnitudes=magnitudes,
    )
