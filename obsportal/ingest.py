"""Ingesting exposures from headers: read, map, and upsert in bulk by exposure id."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from lib.bulk_copy import copy_available, copy_in

from .headers import ExposureRecord, NotAnExposure, keywords_of, map_header
from .models import Exposure

BATCH = 1000
TARGET_FIELDS = ("target_name", "ra", "dec")  # what the identification of the target used
IDENTIFICATION_FIELDS = ("star", "target_status", "target_note")
ARCHIVE_FIELDS = ("program_title", "program_pi_coi", "date_release")  # from the archive's TAP


@dataclass
class IngestReport:
    created: int = 0
    updated: int = 0
    incomplete: list[str] = field(default_factory=list)  # exp_id: log
    skipped: list[str] = field(default_factory=list)  # file: reason

    def lines(self) -> list[str]:
        return [
            *(f"not ingested: {line}" for line in self.skipped),
            *(f"incomplete: {line}" for line in self.incomplete),
            f"{self.created} exposures created, {self.updated} updated, "
            f"{len(self.skipped)} headers not ingested",
        ]


def record_of(source) -> ExposureRecord:
    """The exposure of one header (file, text bytes); raises NotAnExposure, OSError or
    ValueError. Cards that could not be read are logged on the exposure."""
    keywords = keywords_of(source)
    record = map_header(keywords)
    for problem in keywords.get("_unreadable", []):
        record.validation_log.append(f"Unreadable card, {problem}")
        record.validation_level = 0
    return record


def records_of(paths: Iterable[Path], report: IngestReport):
    for path in paths:
        try:
            yield record_of(path)
        except NotAnExposure as exc:
            report.skipped.append(f"{Path(path).name}: {exc}")
        except (OSError, ValueError) as exc:
            report.skipped.append(f"{Path(path).name}: unreadable ({exc})")


def upsert(records: Iterable, report: IngestReport) -> None:
    """Create new exposures and update known ones (by exp_id), one transaction per batch."""
    batch = []
    for record in records:
        batch.append(record)
        if len(batch) >= BATCH:
            _write(batch, report)
            batch = []
    if batch:
        _write(batch, report)


def _write(records: list, report: IngestReport) -> None:
    now = timezone.now()
    by_id = {r.exp_id: r for r in records}  # the last header of an exposure wins
    with transaction.atomic():
        known = {e.exp_id: e for e in Exposure.objects.filter(exp_id__in=list(by_id))}
        new, changed = [], []
        for exp_id, record in by_id.items():
            values = record.values()
            if record.validation_level == 0:
                report.incomplete.append(f"{exp_id}: {'; '.join(record.validation_log)}")
            exposure = known.get(exp_id)
            if exposure is not None:
                for key in ARCHIVE_FIELDS:  # a header file alone does not erase them
                    if values[key] in ("", None):
                        values[key] = getattr(exposure, key)
            if exposure is None:
                new.append(Exposure(date_updated=now, **values))
                continue
            if any(getattr(exposure, k) != v for k, v in values.items()):
                if any(getattr(exposure, k) != values[k] for k in TARGET_FIELDS):
                    exposure.star = None  # another target: identify it again
                    exposure.target_status = Exposure.TargetStatus.PENDING
                    exposure.target_note = ""
                for key, value in values.items():
                    setattr(exposure, key, value)
                exposure.date_updated = now
                changed.append(exposure)
        if copy_available():  # COPY: several times bulk_create's INSERTs on PostgreSQL
            copy_in(Exposure, new)
        else:
            Exposure.objects.bulk_create(new, batch_size=BATCH)
        if changed:
            fields = [*records[0].values(), "date_updated", *IDENTIFICATION_FIELDS]
            fields.remove("exp_id")
            derived = Exposure._meta.get_field("baselines_text")
            for exposure in changed:  # bulk_update asks no field's pre_save: write it here
                derived.pre_save(exposure, add=False)
            fields.append(derived.name)
            Exposure.objects.bulk_update(changed, fields, batch_size=BATCH)
    report.created += len(new)
    report.updated += len(changed)


def ingest_paths(paths: Iterable[Path]) -> IngestReport:
    report = IngestReport()
    upsert(records_of(paths, report), report)
    return report
