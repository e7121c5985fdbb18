"""The OIFITS files of a submitted row: attached by whoever may edit the draft, checked at once
(a file too large or not OIFITS is refused, and nothing of the attempt is kept), its bytes kept in
the database with its row (``OifitsFile.content``: the web and the worker share no folder, and a
backup holds them), fitted by a worker (``curation.tasks.fit_oifits_task``, never in a web
request), and what the fit says of the row, as findings beside the rules'."""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
import math
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jmdc.models import Star
from lib.enqueue import try_enqueue
from lib.findings import Finding

from ..models import AuditEntry, OifitsFile, Submission, SubmissionRow
from ..oifits.findings import (
    TargetCheck,
    disc_findings,
    fits_as_json,
    fits_from_json,
    target_findings,
)
from ..oifits.fit import NoPoints, Vis2Points, fit_points, join, read_vis2
from ..oifits.validate import Validation, validate
from ..permissions import allowed_actions
from .errors import SubmissionInvalid, TransitionError
from .transitions import _lock, _record_edit

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)
Action = AuditEntry.Action
State = OifitsFile.State
CHUNK = 1024 * 1024


class Uploaded(Protocol):
    """A file as Django's uploads (and the tests' SimpleUploadedFile) give it."""

    name: str | None
    size: int | None

    def chunks(self, chunk_size: int | None = None) -> Iterable[bytes]: ...


@dataclass(frozen=True)
class Checked:
    """A file written to a temporary file and validated there (astropy reads a path), waiting
    for its row to be recorded with its bytes."""

    name: str
    path: Path
    size: int
    sha256: str
    validation: Validation


def attach_oifits(
    submission: Submission, position: int, *, actor: User, files: Sequence[Uploaded]
) -> list[OifitsFile]:
    """Attach OIFITS files to row ``position`` of an editable submission, and queue the fit of
    all the row's files together. Every file is checked before anything is recorded: one refused
    file refuses them all, with its name and its problems, and nothing is recorded."""
    if not files:
        raise SubmissionInvalid("No file.", ["Choose one or more OIFITS files to attach."])
    # Asked before the files are written: nobody may fill the disk (and the database) of a
    # submission they may not edit. Asked again under the lock below, which is what decides.
    if Action.EDIT not in allowed_actions(actor, submission):
        _lock_outside_transaction(submission, actor)
    for upload in files:
        if refusal := _too_large(upload):
            raise refusal
    written: list[Path] = []
    try:
        checked = []
        for upload in files:
            one = _store(upload, written)
            if isinstance(one, SubmissionInvalid):
                raise one
            checked.append(one)
        with transaction.atomic():
            submission = _lock(submission.pk, actor, Action.EDIT)
            row = submission.rows.get(position=position)
            now = timezone.now()
            attached = record_files(row, checked, actor=actor, now=now)
            # The row's earlier files are fitted again with the new ones: one fit of them all.
            row.oifits_files.exclude(pk__in=[f.pk for f in attached]).update(
                state=State.QUEUED, progress=0, error="", queued_at=now
            )
            _record_edit(
                submission, actor,
                {"row": position, "oifits": [f"{f.name} ({f.sha256[:12]})" for f in attached]},
            )  # fmt: skip
            transaction.on_commit(lambda: enqueue_fit(row.pk))
    finally:
        # The bytes are in the rows or nowhere (the transaction): the temporary copies go.
        remove_temporary_files(written)
    return attached


def remove_oifits(submission: Submission, position: int, file_id: int, *, actor: User) -> str:
    """Remove a file attached by mistake from row ``position`` of an editable submission (the
    right to attach is the right to remove), the edit written in the audit. The row's other
    files are fitted again without it; with none left, its OIFITS findings go. The file's bytes
    go with its row (a refusal or a failure keeps both). Returns the removed file's name."""
    with transaction.atomic():
        try:
            submission = _lock(submission.pk, actor, Action.EDIT)
        except (TransitionError, PermissionDenied) as exc:
            name = (
                OifitsFile.objects.filter(pk=file_id, row__submission_id=submission.pk)
                .values_list("name", flat=True)
                .first()
            )
            raise type(exc)(
                f"{name or 'The file'} was not removed from row {position}: {exc}"
            ) from exc
        row = submission.rows.get(position=position)
        stored = row.oifits_files.filter(pk=file_id).first()
        if stored is None:
            raise SubmissionInvalid(
                "No such file.", [f"Row {position} has no OIFITS file {file_id} to remove."]
            )
        stored.delete()
        _record_edit(
            submission, actor,
            {"row": position, "oifits_removed": [f"{stored.name} ({stored.sha256[:12]})"]},
        )  # fmt: skip
        now = timezone.now()
        left = row.oifits_files.update(state=State.QUEUED, progress=0, error="", queued_at=now)
        # Until the worker fits what is left, no finding speaks of a fit that counted the
        # removed file; with no file left, none speaks of OIFITS at all.
        _refresh_row(row.pk)
        if left:
            transaction.on_commit(lambda: enqueue_fit(row.pk))
    return stored.name


def store_row_files(
    files_by_position: Mapping[int, Sequence[Uploaded]], *, written: list[Path]
) -> dict[int, list[Checked]]:
    """Write and validate the files of several rows (a batch upload's), every one of them, so
    that the refusal names all the refused files, each with its row. Raises ``SubmissionInvalid``
    if any is refused. The temporary files written are listed in ``written``: the caller
    records the files' bytes from them (``record_files``), then removes them
    (``remove_temporary_files``), recorded or not."""
    checked: dict[int, list[Checked]] = {}
    problems: list[str] = []
    for position, files in sorted(files_by_position.items()):
        where = f"Row {position}, column OIFITS"
        for upload in files:
            one = _too_large(upload) or _store(upload, written)
            if isinstance(one, SubmissionInvalid):
                problems.append(f"{where}: {one}")
                problems.extend(f"{where}: {problem}" for problem in one.problems)
            else:
                checked.setdefault(position, []).append(one)
    if problems:
        raise SubmissionInvalid("The OIFITS files were not attached: nothing was saved.", problems)
    return checked


def record_files(
    row: SubmissionRow, checked: Sequence[Checked], *, actor: User, now: datetime.datetime
) -> list[OifitsFile]:
    """The checked files of a row, their bytes read from their temporary files, queued for the
    fit (inside the caller's transaction: a failure leaves none of them)."""
    return [
        OifitsFile.objects.create(
            row=row,
            name=one.name[:255],
            content=one.path.read_bytes(),
            size=one.size,
            sha256=one.sha256,
            revision=one.validation.revision,
            problems=[_problem_dict(p) for p in one.validation.warnings],
            uploaded_by=actor,
            uploaded_at=now,
            queued_at=now,
        )
        for one in checked
    ]


def _too_large(upload: Uploaded) -> SubmissionInvalid | None:
    limit = settings.OIFITS_MAX_BYTES
    if (upload.size or 0) <= limit:
        return None
    return SubmissionInvalid(
        f"{upload.name} was not attached: it is too large.",
        [
            f"{upload.name}: {_megabytes(upload.size or 0)} MB, over the limit of "
            f"{_megabytes(limit)} MB for one OIFITS file: attach the data of this "
            "measurement only (split the file by night or by instrument)."
        ],
    )


def _store(upload: Uploaded, written: list[Path]) -> Checked | SubmissionInvalid:
    """Write one file to a temporary file of the portal's naming (never the uploader's), where
    Django keeps its own uploads (FILE_UPLOAD_TEMP_DIR), and validate it there: one file in
    memory at a time, however many a zip brings."""
    name = Path(upload.name or "file.fits").name
    handle, temporary = tempfile.mkstemp(
        prefix="oifits-", suffix=".fits", dir=settings.FILE_UPLOAD_TEMP_DIR
    )
    path = Path(temporary)
    written.append(path)
    try:
        size, digest = _write(upload, os.fdopen(handle, "wb"))
    except SubmissionInvalid as exc:
        return exc
    validation = validate(path, name)
    if validation.refused:
        return SubmissionInvalid(
            f"{name} was not attached: it is not an OIFITS file the portal can fit.",
            [str(problem) for problem in validation.errors],
        )
    return Checked(name, path, size, digest, validation)


def _lock_outside_transaction(submission: Submission, actor: User) -> None:
    """Raise the refusal ``_lock`` gives (its words: the state, who acted, or the permission)."""
    with transaction.atomic():
        _lock(submission.pk, actor, Action.EDIT)


def _write(upload: Uploaded, out: io.BufferedWriter) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    limit = settings.OIFITS_MAX_BYTES
    with out:
        for chunk in upload.chunks(CHUNK):
            size += len(chunk)
            if size > limit:  # a size the client did not tell truly
                raise SubmissionInvalid(
                    f"{upload.name} was not attached: it is too large.",
                    [
                        f"{upload.name}: over the limit of {_megabytes(limit)} MB for one OIFITS file."
                    ],
                )
            digest.update(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.3g}"


def _problem_dict(problem) -> dict[str, Any]:
    return {
        "table": problem.table,
        "column": problem.column,
        "row": problem.row,
        "message": problem.message,
        "text": str(problem),
    }


def enqueue_fit(row_id: int) -> None:
    """Queue the fit of a row's files. With the broker down the files stay queued, said on
    the row's page, and the sweep (``sweep_queued_oifits``) queues them again later."""
    from ..tasks import fit_oifits_task  # the tasks import the services

    error = try_enqueue(fit_oifits_task, row_id, what=f"the OIFITS fit of row {row_id}")
    if error is not None:
        OifitsFile.objects.filter(row_id=row_id, state=State.QUEUED).update(
            error=f"The fit could not be queued ({error.__class__.__name__}): the portal asks "
            "a worker again within minutes."
        )


def fit_row(row_id: int) -> str:
    """The worker's part: read each file of the row from its bytes in the database (its points
    kept for the charts), fit both discs to them all, store the fit on each file, and recompute
    the row's findings."""
    files = list(OifitsFile.objects.filter(row_id=row_id).order_by("uploaded_at", "pk"))
    if not files:
        return "no file"
    row = SubmissionRow.objects.get(pk=row_id)
    ids = [f.pk for f in files]
    OifitsFile.objects.filter(pk__in=ids).update(state=State.FITTING, progress=0, error="")
    parts: list[Vis2Points] = []
    try:
        for done, stored in enumerate(files, start=1):
            content = stored.read()
            if content is None:
                # Lost before the portal kept the bytes (migration 0009, its words in error).
                raise NoPoints(stored.error or f"{stored.name}: lost: attach it again.")
            # astropy reads a file object as it reads a path: no temporary file in the worker.
            points = read_vis2(io.BytesIO(content), stored.name)
            parts.append(points)
            # Reading is most of the work (the fit is a fraction of it: bench/oifits_fit.py).
            OifitsFile.objects.filter(pk__in=ids).update(progress=round(80 * done / len(files)))
        fits = fit_points(join(parts), _mu_of(row))
    except (NoPoints, ValueError, OSError) as exc:
        with transaction.atomic():  # the files' end and the row's findings seen together
            OifitsFile.objects.filter(pk__in=ids).update(
                state=State.FAILED, progress=100, error=str(exc), fit=None
            )
            _refresh_row(row_id)
        return f"no fit: {exc}"
    stored_fit = fits_as_json(fits)
    # One transaction: a page (a curator, the portal's own test) that sees a file fitted also
    # sees the findings its fit gives the row, never the state without them.
    with transaction.atomic():
        for stored, points in zip(files, parts, strict=True):
            OifitsFile.objects.filter(pk=stored.pk).update(
                state=State.FITTED, progress=100, fit=stored_fit, points=_points_json(points)
            )
        _refresh_row(row_id)
    return f"UD {fits.uniform.diameter:.3f} mas, LD {fits.limb_darkened.diameter:.3f} mas"


def _mu_of(row: SubmissionRow) -> float | None:
    # MU_LAMBDA has two meanings in the catalogue (the rules' mu_lambda_consistent): a linear
    # coefficient below 1, or the LD/UD ratio at 1 and above. Only the first is the fit's mu.
    mu = row.mu_lambda
    return mu if mu is not None and math.isfinite(mu) and 0 <= mu < 1 else None


def _points_json(points: Vis2Points) -> dict[str, list[float]]:
    def rounded(values: np.ndarray, digits: int) -> list[float]:
        return [float(v) for v in np.round(values, digits)]

    return {
        "frequency": rounded(points.spatial_frequency / 1e6, 4),  # Mλ (millions of cycles/rad)
        "vis2": rounded(points.vis2, 6),
        "error": rounded(points.error, 6),
        "u": rounded(points.u, 3),
        "v": rounded(points.v, 3),
        "wavelength": rounded(points.wavelength * 1e6, 5),  # µm
    }


def _refresh_row(row_id: int) -> None:
    from .findings import refresh_findings  # findings import this module

    with transaction.atomic():
        row = SubmissionRow.objects.select_for_update().get(pk=row_id)
        refresh_findings([row])
        row.save(update_fields=["findings"])


def sweep_queued_oifits(older_than_seconds: float) -> int:
    """Queue again the rows whose files wait longer than a worker takes: a broker that was
    down, a message lost. Returns how many rows were queued."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    rows = set(
        OifitsFile.objects.filter(
            state__in=[State.QUEUED, State.FITTING], queued_at__lt=cutoff
        ).values_list("row_id", flat=True)
    )
    for row_id in rows:
        OifitsFile.objects.filter(row_id=row_id).update(queued_at=timezone.now())
        enqueue_fit(row_id)
    return len(rows)


def oifits_findings(rows: list[SubmissionRow]) -> dict[int, list[Finding]]:
    """The findings the fitted files give each stored row (by the row's id)."""
    ids = [row.pk for row in rows if row.pk]
    if not ids:
        return {}
    fitted: dict[int, dict] = {}
    for row_id, fit in OifitsFile.objects.filter(row_id__in=ids, state=State.FITTED).values_list(
        "row_id", "fit"
    ):
        if fit is not None:  # a fitted file always has its fit; the column may be null
            fitted.setdefault(row_id, fit)
    if not fitted:
        return {}
    by_row = {row.pk: row for row in rows if row.pk in fitted}
    targets = {t for fit in fitted.values() for t in fit["targets"]}
    names = {row.id1.strip() for row in by_row.values() if row.id1.strip()}
    stars = Star.objects.named(targets | names)
    found: dict[int, list[Finding]] = {}
    for row_id, stored in fitted.items():
        row = by_row[row_id]
        fits = fits_from_json(stored)
        star = stars.get(row.id1.strip())
        star_keys = (
            frozenset(k for k in (star.name, star.designation, star.main_id) if k)
            if star is not None
            else frozenset()
        )
        label = row.id1.strip() + (f" ({row.id2.strip()})" if row.id2.strip() else "")
        check = TargetCheck((row.id1, row.id2), star_keys, label or "the row's star")
        found[row_id] = disc_findings(fits, row.ud_diam, row.ld_diam, row.e_ld_diam) + (
            target_findings(fits.targets, check, stars, star)
        )
    return found


def remove_temporary_files(paths: Iterable[Path]) -> None:
    """Remove the temporary copies ``store_row_files`` wrote, once their bytes are recorded in
    the database or refused."""
    for path in paths:
        path.unlink(missing_ok=True)
