"""Releases: freezing the catalogue, writing the bundle sent to CDS, and the changelog
(the 2016-2019 spreadsheets become historical releases in ``jmdc.importing.release_history``).

A release is made in two steps. ``freeze`` copies the rows into the release (one
transaction, so the release holds exactly the catalogue of that moment); ``build`` writes
the files from those frozen rows, reporting its progress on the release row so a page can
show it, and stores them once: a ready release is never written again. Who may cut a release
is decided by the service layer (``curation.services.cut_release``); this module knows
nothing of workflow.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .formats import datacite
from .formats.csv import iter_csv
from .formats.vizier import (
    ReadmeRelease,
    VizierLayoutError,
    format_record,
    iter_jmdc_dat,
    write_readme,
)
from .formats.votable import iter_votable
from .formats.xlsx import write_xlsx
from .models import CATALOGUE_FIELDS, COLUMN_NAME, Release, ReleaseFile, ReleaseRow

# The files of a bundle, in the order they are stored, listed and zipped.
FILE_TYPES = {
    "ReadMe": "text/plain; charset=us-ascii",
    "jmdc.dat": "text/plain; charset=us-ascii",
    "jmdc.csv": "text/csv; charset=utf-8",
    "jmdc.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jmdc.vot": "application/x-votable+xml; charset=utf-8",
    # The DataCite metadata record (jmdc/formats/datacite.py); the XML only once the release
    # has a DOI (settings.DATACITE_DOI_PREFIX), which DataCite's XML requires.
    "datacite.json": datacite.JSON_TYPE,
    "datacite.xml": datacite.XML_TYPE,
    "SHA256SUMS": "text/plain; charset=us-ascii",
}
# The files the DataCite record describes: the catalogue's data, not the record itself.
DATA_FILES = ("ReadMe", "jmdc.dat", "jmdc.csv", "jmdc.xlsx", "jmdc.vot")


@dataclass(frozen=True)
class RowCredits:
    """Who brought a release's rows into the catalogue: the people the DataCite record
    credits (accounts), and when the rows were accepted (first, last), if known."""

    submitters: list = field(default_factory=list)
    curators: list = field(default_factory=list)
    accepted: tuple[datetime.date, datetime.date] | None = None


# The catalogue does not know who submitted or accepted a row: the workflow does (curation),
# and tells it at start-up (``credit_rows_through``), as it provides its actions (jmdc.links).
_CREDITS: list[Callable[[Release], RowCredits]] = []


def credit_rows_through(credits_of: Callable[[Release], RowCredits]) -> None:
    """Register ``credits_of(release)``; registering again replaces it."""
    _CREDITS[:] = [credits_of]


def credits_of(release: Release) -> RowCredits:
    return _CREDITS[0](release) if _CREDITS else RowCredits()


class ReleaseError(Exception):
    """The release cannot be made as asked (version taken, nothing to release)."""


# ---------------------------------------------------------------- freezing


def freeze(
    rows: Iterable[tuple[int | None, tuple]],
    *,
    version: str,
    date: datetime.date,
    kind: str = Release.Kind.CUT,
    created_by=None,
    source: str = "",
    notes: str = "",
) -> Release:
    """Create the release and copy its rows, in the order given (export order).

    ``rows`` are (measurement id or None, the 12 values). The previous release, for the
    changelog, is the latest one dated on or before ``date``.
    """
    with transaction.atomic():
        previous = Release.objects.filter(date__lte=date).order_by("-date", "-pk").first()
        try:
            with transaction.atomic():
                release = Release.objects.create(
                    version=version, date=date, kind=kind, created_by=created_by,
                    source=source, notes=notes, previous=previous, stage="rows frozen",
                )  # fmt: skip
        except IntegrityError as exc:
            raise ReleaseError(f"A release {version!r} exists already.") from exc
        batch: list[ReleaseRow] = []
        stars: set[str] = set()
        for position, (measurement_id, values) in enumerate(rows, start=1):
            try:  # refused now rather than frozen into a release that cannot be sent to CDS
                format_record(values)
            except VizierLayoutError as exc:
                which = f"measurement {measurement_id}" if measurement_id else f"row {position}"
                raise ReleaseError(
                    f"{which} ({values[0]}, {values[10]}) does not fit the VizieR layout: {exc}. "
                    "Correct it, then cut the release."
                ) from exc
            fields = dict(zip(CATALOGUE_FIELDS, values, strict=True))
            stars.add(fields["id1"])
            batch.append(
                ReleaseRow(release=release, position=position, measurement_id=measurement_id,
                           **fields)
            )  # fmt: skip
        if not batch:
            raise ReleaseError("There is no public measurement to release.")
        ReleaseRow.objects.bulk_create(batch, batch_size=1000)
        release.row_count, release.star_count = len(batch), len(stars)
        release.save(update_fields=["row_count", "star_count"])
    return release


def frozen_rows(release: Release) -> list[tuple[int | None, tuple]]:
    return [
        (measurement_id, tuple(values))
        for measurement_id, *values in release.rows.order_by("position").values_list(
            "measurement_id", *CATALOGUE_FIELDS
        )
    ]


# ---------------------------------------------------------------- changelog


def _diff(before: tuple, after: tuple) -> dict[str, list]:
    return {
        COLUMN_NAME[attr]: [old, new]
        for attr, old, new in zip(CATALOGUE_FIELDS, before, after, strict=True)
        if old != new
    }


def _as_dict(values: tuple) -> dict:
    return {COLUMN_NAME[attr]: value for attr, value in zip(CATALOGUE_FIELDS, values, strict=True)}


# Rows that are not the same measurement by id nor by identical values are paired when they
# agree on one of these keys, tightest first; what stays unpaired was added or removed.
PAIRING_KEYS: list[tuple[str, ...]] = [
    ("bibcode", "id1", "band"),
    ("bibcode", "id1"),
    ("bibcode", "id2", "band"),
    ("bibcode", "ud_diam", "ld_diam"),
    ("id1", "id2", "ud_diam", "ld_diam"),
]
INDEX = {attr: i for i, attr in enumerate(CATALOGUE_FIELDS)}


def compare(old: list[tuple[int | None, tuple]], new: list[tuple[int | None, tuple]]) -> dict:
    """The changelog from ``old`` rows to ``new`` rows: added, removed, and changed rows with
    the fields that changed.

    There is no natural key in the catalogue (time series repeat a star, bibcode and band), so
    rows are matched in steps: the same measurement (both have its id); then identical values
    (as a multiset: a repeated row is matched as many times as it repeats); then rows agreeing
    on ``PAIRING_KEYS``, closest values first. Applying the changelog to ``old`` gives ``new``.
    """
    old_left = dict(enumerate(old))
    new_left = dict(enumerate(new))
    changed: list[dict] = []
    unchanged = 0

    def pair(i: int, j: int) -> None:
        nonlocal unchanged
        before, after = old_left.pop(i)[1], new_left.pop(j)[1]
        if before == after:
            unchanged += 1
        else:
            changed.append({"before": _as_dict(before), "after": _as_dict(after),
                            "fields": _diff(before, after)})  # fmt: skip

    by_measurement = {m: i for i, (m, _) in old_left.items() if m is not None}
    for j, (m, _) in list(new_left.items()):
        if m is not None and m in by_measurement:
            pair(by_measurement.pop(m), j)

    by_values: dict[tuple, list[int]] = defaultdict(list)
    for i, (_, values) in old_left.items():
        by_values[values].append(i)
    for j, (_, values) in list(new_left.items()):
        if by_values.get(values):
            pair(by_values[values].pop(0), j)

    for key in PAIRING_KEYS:
        positions = [INDEX[attr] for attr in key]
        groups: dict[tuple, list[int]] = defaultdict(list)
        for i, (_, values) in old_left.items():
            groups[tuple(values[p] for p in positions)].append(i)
        for j, (_, values) in sorted(new_left.items()):
            candidates = groups.get(tuple(values[p] for p in positions))
            if not candidates:
                continue
            best = min(candidates, key=lambda i: (len(_diff(old_left[i][1], values)), i))
            candidates.remove(best)
            pair(best, j)

    added = [_as_dict(values) for _, (_, values) in sorted(new_left.items())]
    removed = [_as_dict(values) for _, (_, values) in sorted(old_left.items())]
    return {
        "added": added,
        "removed": removed,
        "changed": changed,
        "counts": {
            "before": len(old),
            "after": len(new),
            "added": len(added),
            "removed": len(removed),
            "changed": len(changed),
            "unchanged": unchanged,
        },
    }


def with_counts(release: Release, changelog: dict) -> Release:
    """Give the release its changelog and, beside it, the three counts the lists show (they
    read those fields and leave the changelog, megabytes long, in the database)."""
    counts = changelog.get("counts") or {}
    release.changelog = changelog
    release.added_count = counts.get("added")
    release.removed_count = counts.get("removed")
    release.changed_count = counts.get("changed")
    return release


def apply_changelog(old: list[tuple], changelog: dict) -> list[tuple]:
    """``old`` rows (12 values each) with the changelog applied: removed rows taken out,
    changed rows replaced, added rows put in. Used to prove a changelog complete."""
    rows = list(old)

    def values(row: dict) -> tuple:
        return tuple(row[COLUMN_NAME[attr]] for attr in CATALOGUE_FIELDS)

    for row in changelog["removed"]:
        rows.remove(values(row))
    for change in changelog["changed"]:
        rows.remove(values(change["before"]))
        rows.append(values(change["after"]))
    rows += [values(row) for row in changelog["added"]]
    return rows


# ---------------------------------------------------------------- building the bundle


@dataclass
class BuildResult:
    release: Release
    built: bool  # False when it was ready already


def _progress(release: Release, percent: int, stage: str, report: Callable | None) -> None:
    # Outside any transaction: the release page polls these two fields.
    Release.objects.filter(pk=release.pk).update(progress=percent, stage=stage)
    if report:
        report(percent, stage)


def build(release_id: int, *, report: Callable[[int, str], None] | None = None) -> BuildResult:
    """Write the files of a release from its frozen rows; idempotent.

    A ready release is left as it is (its bytes never change). A failure (a value that does
    not fit the VizieR layout, a DataCite record the schema refuses) marks the release failed
    with the reason.
    """
    release = Release.objects.get(pk=release_id)
    if release.status == Release.Status.READY:
        return BuildResult(release, built=False)
    try:
        files, changelog = _write_files(release, report)
    except (VizierLayoutError, datacite.DataCiteInvalid) as exc:
        Release.objects.filter(pk=release.pk).update(
            status=Release.Status.FAILED, error=str(exc), stage="failed"
        )
        release.refresh_from_db()
        return BuildResult(release, built=False)
    with transaction.atomic():
        release = Release.objects.select_for_update().get(pk=release_id)
        if release.status == Release.Status.READY:  # another worker finished first
            return BuildResult(release, built=False)
        release.files.all().delete()  # what a failed attempt may have left (not ready yet)
        ReleaseFile.objects.bulk_create(
            ReleaseFile(release=release, name=name, content_type=FILE_TYPES[name], content=data,
                        size=len(data), sha256=hashlib.sha256(data).hexdigest())
            for name, data in ((name, files[name]) for name in FILE_TYPES if name in files)
        )  # fmt: skip
        with_counts(release, changelog)
        release.status = Release.Status.READY
        release.progress, release.stage, release.error = 100, "ready", ""
        release.built_at = timezone.now()
        release.save()
    if report:
        report(100, "ready")
    return BuildResult(release, built=True)


def _write_files(release: Release, report) -> tuple[dict[str, bytes], dict]:
    _progress(release, 5, "writing jmdc.dat", report)
    files: dict[str, bytes] = {}
    files["jmdc.dat"] = "".join(iter_jmdc_dat(release.rows.export_values())).encode("ascii")
    _progress(release, 20, "writing the ReadMe", report)
    history = [
        ReadmeRelease(r.version, r.date, r.row_count)
        for r in Release.objects.filter(date__lte=release.date).order_by("date", "pk")
        if r.pk == release.pk or r.status == Release.Status.READY
    ]
    files["ReadMe"] = write_readme(
        ReadmeRelease(release.version, release.date, release.row_count),
        stars=release.star_count,
        history=history,
    ).encode("ascii")
    _progress(release, 30, "writing jmdc.csv", report)
    files["jmdc.csv"] = "".join(iter_csv(release.rows.export_values())).encode("utf-8")
    _progress(release, 45, "writing jmdc.vot", report)
    infos = {"release": release.version, "release_date": release.date.isoformat()}
    votable = iter_votable(release.rows.export_values(), infos=infos)
    files["jmdc.vot"] = "".join(votable).encode("utf-8")
    _progress(release, 60, "writing jmdc.xlsx", report)
    created = datetime.datetime.combine(release.date, datetime.time())
    files["jmdc.xlsx"] = write_xlsx(release.rows.export_values(), created=created)
    _progress(release, 75, "comparing with the previous release", report)
    changelog = {"previous": None}
    if release.previous_id:
        changelog = compare(frozen_rows(release.previous), frozen_rows(release))
        changelog["previous"] = release.previous.version
    _progress(release, 90, "writing the DataCite record", report)
    record = datacite.record(datacite_facts(release, files))
    files["datacite.json"] = datacite.write_json(record)
    if record.get("doi"):
        files["datacite.xml"] = datacite.write_xml(record)
    files["SHA256SUMS"] = "".join(
        f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n"
        for name in FILE_TYPES
        if name in files
    ).encode("ascii")
    _progress(release, 95, "storing the files", report)
    return files, changelog


def datacite_facts(release: Release, files: dict[str, bytes]) -> datacite.ReleaseFacts:
    """What the DataCite record of ``release`` says, from its rows, its people and ``files``
    (the data files already written)."""
    site = settings.SITE_URL.rstrip("/")
    credits = credits_of(release)
    previous = release.previous
    return datacite.ReleaseFacts(
        version=release.version,
        date=release.date,
        row_count=release.row_count,
        star_count=release.star_count,
        bibcodes=list(release.rows.order_by().values_list("bibcode", flat=True).distinct()),
        page_url=site + release.get_absolute_url(),
        files=[
            datacite.BundleFile(name, FILE_TYPES[name], len(files[name]))
            for name in DATA_FILES
            if name in files
        ],
        previous_version=previous.version if previous else "",
        previous_page_url=site + previous.get_absolute_url() if previous else "",
        cut_by=datacite.person_of(release.created_by) if release.created_by else None,
        curators=[datacite.person_of(user) for user in credits.curators],
        submitters=[datacite.person_of(user) for user in credits.submitters],
        collected=credits.accepted,
        notes=release.notes,
        doi_prefix=settings.DATACITE_DOI_PREFIX,
        rights=settings.DATACITE_RIGHTS,
        rights_uri=settings.DATACITE_RIGHTS_URI,
    )


def bundle_zip(release: Release) -> bytes:
    """The release's files in one zip, dated the release's date: the same bytes every time."""
    out = io.BytesIO()
    stamp = (release.date.year, release.date.month, release.date.day, 0, 0, 0)
    folder = f"jmdc-{release.version}"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in release.files.all():  # stored in FILE_TYPES order
            info = zipfile.ZipInfo(f"{folder}/{file.name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, bytes(file.content))
    return out.getvalue()
