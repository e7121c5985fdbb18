"""Who brought a release's rows into the catalogue, for its DataCite record
(``jmdc.releases.credit_rows_through``, registered in ``CurationConfig.ready``): the
astronomers who submitted them and the curators who accepted them, from the submissions and
their audit, not from anything typed for the record."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Max, Min

from jmdc.models import Release, ReleaseRow
from jmdc.releases import RowCredits

from .models import AuditEntry, Submission


def credits_of(release: Release) -> RowCredits:
    # Subqueries, not lists of ids: a release holds thousands of rows.
    measurements = ReleaseRow.objects.filter(release=release, measurement__isnull=False).values(
        "measurement_id"
    )
    submissions = Submission.objects.filter(rows__measurement__in=measurements).values("pk")
    accepts = AuditEntry.objects.filter(action=AuditEntry.Action.ACCEPT, submission__in=submissions)
    User = get_user_model()
    # Sorted by name, then id: the same record however often the release is built.
    order = ("last_name", "first_name", "username", "pk")
    submitters = User.objects.filter(submissions__in=submissions).distinct().order_by(*order)
    curators = (
        User.objects.filter(audit_entries__in=accepts.values("pk")).distinct().order_by(*order)
    )
    span = accepts.aggregate(first=Min("at"), last=Max("at"))
    accepted = (span["first"].date(), span["last"].date()) if span["first"] else None
    return RowCredits(submitters=list(submitters), curators=list(curators), accepted=accepted)
