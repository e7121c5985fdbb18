"""What a row's OIFITS files say of it, as the rules' findings (lib/findings.py): the fitted
discs against the submitted UD and LD (compare.py), and the files' target names against the
row's star. Plain over the stored fit: the worker fits once, the findings are recomputed with the
row's other findings whenever the row changes (curation/services/findings.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lib.designations import key, match_key
from lib.findings import Finding
from lib.text import WARNING

from .compare import INFO, compare_diameters, ud_error_of
from .fit import DiscFit, Fits


def fits_from_json(stored: dict[str, Any]) -> Fits:
    return Fits(
        uniform=DiscFit(**stored["uniform"]),
        limb_darkened=DiscFit(**stored["limb_darkened"]),
        targets=tuple(stored["targets"]),
        files=tuple(stored["files"]),
    )


def fits_as_json(fits: Fits) -> dict[str, Any]:
    return {
        "uniform": fits.uniform.__dict__,
        "limb_darkened": fits.limb_darkened.__dict__,
        "targets": list(fits.targets),
        "files": list(fits.files),
    }


def disc_findings(
    fits: Fits,
    ud: float | None,
    ld: float | None,
    e_ld: float | None,
) -> list[Finding]:
    """The comparison of the row's diameters with the discs fitted to its files."""
    ud_error = ud_error_of(ud, ld, e_ld)
    # The submitter never typed that UD error: the finding says where it comes from, or a
    # reader hunts for a 0.0287 in their table.
    derived = (
        f" (The UD's error, {ud_error:g} mas, is E_LD_DIAM {e_ld:g} scaled by UD/LD: the "
        "catalogue keeps one error.)"
        if ud_error and ud_error != e_ld
        else ""
    )
    return [
        Finding(
            column=found.column,
            severity=found.severity,
            code=f"oifits_{found.outcome}",
            message=found.message
            + (derived if found.column == "UD_DIAM" and found.sigmas is not None else ""),
        )
        for found in compare_diameters(fits, ud, ld, e_ld)
    ]


@dataclass(frozen=True)
class TargetCheck:
    """The row's names as the portal knows them: what it typed (ID1, ID2), and, when its star
    is known, the star's name, designation and SIMBAD main identifier."""

    row_names: tuple[str, ...]
    star_keys: frozenset[str]
    star_label: str  # how the warning names the row's star


def target_findings(
    targets: Iterable[str], check: TargetCheck, stars_of_targets: dict[str, Any], row_star: Any
) -> list[Finding]:
    """A file naming another star than the row's is a warning naming both. ``stars_of_targets``
    are the catalogue's stars the targets name (``Star.objects.named``); a name neither
    canonical nor known (a proper name such as ACHERNAR never met) is left to the curator, said
    as information: only SIMBAD could tell."""
    keys = {match_key(name).casefold() for name in check.row_names if name.strip()}
    keys |= {match_key(k).casefold() for k in check.star_keys}
    found = []
    for target in targets:
        if not target.strip() or match_key(target).casefold() in keys:
            continue
        star = stars_of_targets.get(target.strip())
        if star is not None and row_star is not None and star.pk == row_star.pk:
            continue
        if star is not None or key(target) is not None:
            # A canonical designation, or a star the catalogue knows: another star.
            found.append(
                Finding(
                    column="ID1",
                    severity=WARNING,
                    code="oifits_target",
                    message=f"The OIFITS data are of {target}, not of {check.star_label}: "
                    "attach the files of this row's star, or correct ID1.",
                )
            )
        else:
            found.append(
                Finding(
                    column="ID1",
                    severity=INFO,
                    code="oifits_target_unknown",
                    message=f"The OIFITS files name their target {target}, a name the portal "
                    f"cannot match with {check.star_label} without SIMBAD: check it is the same star.",
                )
            )
    return found
