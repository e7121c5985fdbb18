"""Corrections of published measurements by curators, each with its reason, checked by the
rules and kept in the row's history and the audit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction

from jmdc.models import CATALOGUE_FIELDS, Measurement, Star

from ..models import AuditEntry, is_curator
from ..rules import COLUMN, check_row
from ..rules_context import build_context
from .errors import SubmissionInvalid
from .free_text import _require_reason

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Action = AuditEntry.Action


def correct_measurements(
    measurement_ids: Iterable[int], *, actor: User, changes: dict, reason: str
) -> list[Measurement]:
    """Curators correct published rows (a wrong ID1, rows filed under the wrong bibcode).

    Every corrected row keeps its full history with the reason; errors found by the rules
    on the corrected values block the correction.
    """
    if not is_curator(actor) or not actor.has_perm("jmdc.correct_measurement"):
        raise PermissionDenied("Only curators correct published measurements.")
    reason = _require_reason(reason, "correct these measurements")
    unknown = set(changes) - set(CATALOGUE_FIELDS)
    if unknown:
        raise SubmissionInvalid(
            "Unknown columns.", [f"{', '.join(sorted(unknown))} cannot be corrected."]
        )
    ids = list(measurement_ids)
    with transaction.atomic():
        measurements = list(
            Measurement.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        )
        if len(measurements) != len(set(ids)):
            raise SubmissionInvalid(
                "Unknown measurements.", ["Some of these measurements do not exist."]
            )
        before = {m.pk: {attr: getattr(m, attr) for attr in changes} for m in measurements}
        for measurement in measurements:
            for attr, value in changes.items():
                setattr(measurement, attr, value)
        # A correction must not bring errors into the columns it changes; older problems
        # elsewhere in a legacy row (an empty METHOD) do not block it.
        changed_columns = {COLUMN[attr] for attr in changes}
        context = build_context(measurements, viewer=actor)
        errors = [
            f"measurement {m.pk}, column {f.column}: {f.message}"
            for m in measurements
            for f in check_row(m, context)
            if f.severity == "error" and f.column in changed_columns
        ]
        if errors:
            raise SubmissionInvalid("The corrected values have errors.", errors)
        if "id1" in changes:
            name = changes["id1"].strip()
            star = Star.objects.for_names({name})[name]
        for measurement in measurements:
            if "id1" in changes:
                measurement.star = star
            measurement._history_user = actor
            measurement._change_reason = reason
            measurement.save()
            AuditEntry.objects.create(
                actor=actor, action=Action.CORRECT, measurement=measurement, text=reason,
                changes={attr: [before[measurement.pk][attr], changes[attr]] for attr in changes},
            )  # fmt: skip
    return measurements
