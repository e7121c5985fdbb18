"""Curation listens to the catalogue core: when SIMBAD settles stars, the findings of the
open submissions that name them are recomputed (jmdc does not know submissions)."""

from jmdc.models import Star

from .models import Submission, SubmissionRow

OPEN_STATES = [
    Submission.State.DRAFT,
    Submission.State.SUBMITTED,
    Submission.State.IN_REVIEW,
    Submission.State.CHANGES_REQUESTED,
]


def refresh_rows_of_stars(sender, star_ids, **kwargs) -> None:
    from .services import refresh_findings

    stars = Star.objects.filter(pk__in=star_ids).prefetch_related("aliases")
    names = {star.name for star in stars} | {
        alias.name for star in stars for alias in star.aliases.all()
    }
    rows = list(SubmissionRow.objects.filter(id1__in=names, submission__state__in=OPEN_STATES))
    if rows:
        refresh_findings(rows)
        SubmissionRow.objects.bulk_update(rows, ["findings"], batch_size=500)
