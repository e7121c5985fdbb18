"""Who was observed: an exposure's target name, identified by SIMBAD, confirmed by position.

An exposure names its target as the observer typed it in the OB (``OBS.TARG.NAME``:
``HD_45677``, ``alf_Sco``, ``GJ551``). We ask SIMBAD about that name with the catalogue's own
client (``jmdc.simbad``), and link the exposure to the SIMBAD object's ``jmdc.Star`` only when
the telescope pointed within ``OBSPORTAL_TARGET_MATCH_ARCSEC`` of it: a name alone is too often
a nickname, a typo or a calibrator's neighbour. Every exposure ends with a status and, when it
is not linked, a note saying why.

Names already known to the catalogue (a star's name or alias, resolved) are not asked again.
SIMBAD's I/O happens outside any transaction; the answers are applied in one short transaction.
When SIMBAD is unreachable the exposures stay pending for the next run.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from jmdc.identification import star_for_object
from jmdc.models import Star
from jmdc.simbad import (
    SimbadClient,
    SimbadObject,
    SimbadQueryError,
    SimbadUnavailable,
    get_client,
)
from lib.sky import separation

from .models import Exposure, TargetStatus

BATCH = 500  # names per pass: one SIMBAD request, one transaction
logger = logging.getLogger(__name__)


@dataclass
class TargetSummary:
    identified: int = 0
    not_found: int = 0
    far: int = 0
    unconfirmed: int = 0
    waiting: int = 0  # still pending: SIMBAD could not be asked
    simbad_error: str = ""

    def __str__(self) -> str:
        text = (
            f"{self.identified} exposures identified, {self.not_found} not found in SIMBAD, "
            f"{self.far} pointed far from SIMBAD's object, {self.unconfirmed} without a "
            f"position to confirm, {self.waiting} waiting"
        )
        return f"{text} (SIMBAD: {self.simbad_error})" if self.simbad_error else text


def simbad_name(target_name: str) -> str:
    """The name to ask SIMBAD for: ESO's OB editor forbids blanks, observers write ``_``."""
    return " ".join(re.sub(r"_+", " ", target_name).split())


def known_stars(names: list[str]) -> dict[str, Star]:
    """Resolved stars of the catalogue under these names (their own or an alias)."""
    found = Star.objects.named(names)
    return {name: star for name, star in found.items() if star.status == Star.Status.RESOLVED}


def identify_targets(*, client: SimbadClient | None = None) -> TargetSummary:
    """Identify the targets of pending exposures, ``BATCH`` names at a time."""
    summary = TargetSummary()
    spellings = defaultdict(set)  # the name asked -> the header names that give it
    pending = Exposure.objects.filter(target_status=TargetStatus.PENDING)
    for target_name in pending.values_list("target_name", flat=True).distinct():
        spellings[simbad_name(target_name)].add(target_name)
    if "" in spellings:
        summary.not_found += pending.filter(target_name__in=spellings.pop("")).update(
            target_status=TargetStatus.NOT_FOUND, target_note="The header names no target."
        )
    names = sorted(spellings)
    for start in range(0, len(names), BATCH):
        chunk = names[start : start + BATCH]
        known = known_stars(chunk)
        asked = [name for name in chunk if name not in known]
        objects, notes = {}, {}
        if asked and not summary.simbad_error:
            try:
                objects, notes = _ask(client or get_client(), asked)
            except (SimbadUnavailable, SimbadQueryError) as exc:
                summary.simbad_error = str(exc)
        with transaction.atomic():
            stars, settled = {}, set()
            for name in chunk:
                star = known.get(name)
                if star is None and name in objects:
                    star = star_for_object(name, objects[name])
                if star is not None or name in notes:  # else SIMBAD was not asked: pending
                    stars[name] = star
                    settled.update(spellings[name])
            # The exposures of the whole batch in one query, updated in one more.
            group = Exposure.objects.select_for_update().filter(
                target_status=TargetStatus.PENDING, target_name__in=settled
            )
            changed = list(group.only("pk", "target_name", "ra", "dec"))
            for exposure in changed:
                name = simbad_name(exposure.target_name)
                star = stars[name]
                if star is not None:
                    _confirm(exposure, star, summary)
                else:
                    exposure.target_status = TargetStatus.NOT_FOUND
                    exposure.target_note = notes[name][:300]
                    summary.not_found += 1
            Exposure.objects.bulk_update(
                changed, ["star", "target_status", "target_note"], batch_size=1000
            )
    summary.waiting = pending.count()
    return summary


def identify_again(exposures, *, actor) -> int:
    """Put exposures back in the queue of the next identification run (the exposure admin's
    action): their star link and note are dropped, SIMBAD is asked again. One transaction with
    the rows locked, so that a run applying its answers at the same time waits, then finds
    them pending; logged with who asked (exposures have no audit trail of their own: they are
    the archive's, ingested again at will)."""
    with transaction.atomic():
        pks = list(exposures.select_for_update().values_list("pk", flat=True))
        count = Exposure.objects.filter(pk__in=pks).update(
            star=None, target_status=TargetStatus.PENDING, target_note=""
        )
    logger.info("%s exposures queued for identification again by %s", count, actor)
    return count


def _ask(client: SimbadClient, names: list[str]):
    """SIMBAD's object for each name it resolves, and a note for each it does not."""
    objects: dict[str, SimbadObject] = {}
    notes: dict[str, str] = {}
    for name, answer in client.resolve(names).items():
        if answer.status == "resolved":
            objects[name] = answer.objects[0]
        elif answer.status == "not_found":
            notes[name] = f"SIMBAD knows no object named {answer.query!r}."
        else:
            main_ids = ", ".join(o.main_id for o in answer.objects[:5])
            notes[name] = f"SIMBAD finds {len(answer.objects)} objects: {main_ids}."
    return objects, notes


def _confirm(exposure: Exposure, star: Star, summary: TargetSummary) -> None:
    tolerance = settings.OBSPORTAL_TARGET_MATCH_ARCSEC / 3600.0
    ra, dec = exposure.ra, exposure.dec
    if ra is None or dec is None or star.ra is None or star.dec is None:
        exposure.star = None
        exposure.target_status = TargetStatus.UNCONFIRMED
        exposure.target_note = (
            f"SIMBAD identifies the name as {star.main_id}, but "
            f"{'the header has no valid pointing' if ra is None or dec is None else 'without a position'}"
            " to confirm it with."
        )
        summary.unconfirmed += 1
        return
    distance = separation(ra, dec, star.ra, star.dec)
    if distance <= tolerance:
        exposure.star = star
        exposure.target_status = TargetStatus.IDENTIFIED
        exposure.target_note = ""
        summary.identified += 1
    else:
        exposure.star = None
        exposure.target_status = TargetStatus.FAR
        exposure.target_note = (
            f"SIMBAD's {star.main_id} lies {_arcsec(distance)} from the pointing "
            f"(more than {settings.OBSPORTAL_TARGET_MATCH_ARCSEC:g}\u2033)."
        )
        summary.far += 1


def _arcsec(degrees: float) -> str:
    seconds = degrees * 3600.0
    if seconds < 3600:
        return f"{seconds:.1f}\u2033"
    return f"{degrees:.2f}\u00b0"
