"""Reading answers of the original ObsPortal service back into exposures.

The original ``/search.votable`` answers (``all_fields=true`` for the most) are the one dump
of its database that exists outside it: importing one moves its exposures here without
harvesting the archive again. The reader takes every generation of the answer: ``exp_header``
(before 2021) or ``exp_header_id``, ``obs_id`` as text or int, with or without the OiDB fields.
The original's ``target_id`` was its own table's id: it is not kept; targets are identified
again through SIMBAD (targets.py).
"""

from __future__ import annotations

import ast
import datetime
import json
import math
import warnings
from collections.abc import Iterator
from pathlib import Path

from astropy.io.votable import parse
from django.db import transaction
from django.utils import timezone

from .headers import ExposureRecord
from .models import Exposure


class NotAnAnswer(ValueError):
    pass


def _double(value) -> float | None:
    if value is None or value is _MASKED:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _text(value) -> str:
    return "" if value is None or value is _MASKED else str(value).strip()


def _baselines(text: str) -> dict:
    """``{'U1-U2': {'length': {'start': '50.1590', ...}}}`` to our JSON (floats, None)."""
    if not text:
        return {}
    parsed = ast.literal_eval(text)  # a Python dict literal, never evaluated as code
    number = lambda v: None if v in (None, "None") else float(v)  # noqa: E731
    return {
        pair: {
            "length": [number(d["length"]["start"]), number(d["length"]["end"])],
            "angle": [number(d["angle"]["start"]), number(d["angle"]["end"])],
        }
        for pair, d in parsed.items()
    }


def _moment(text: str) -> datetime.datetime | None:
    if not text:
        return None
    moment = datetime.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


_MASKED = object()


def records_of_answer(path: Path) -> Iterator[tuple[ExposureRecord, datetime.datetime]]:
    """Each row of an original answer as an exposure record and its update date."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the original's UCDs and namespace: see test_services
        table = parse(str(path), verify="ignore").get_first_table()
    names = {field.name for field in table.fields}
    header_field = "exp_header_id" if "exp_header_id" in names else "exp_header"
    for required in ("exp_id", header_field, "target_ra", "target_dec", "exp_mjd_start"):
        if required not in names:
            raise NotAnAnswer(f"{path.name}: no {required} field; not an ObsPortal answer")
    data = table.array
    now = timezone.now()
    for index in range(len(data)):
        row = data[index]

        def get(name, row=row, mask=data.mask[index]):
            if name not in names:
                return None
            return _MASKED if mask[name] else row[name]

        mjd_start = _double(get("exp_mjd_start"))
        if mjd_start is None:  # checked before any row is written (import_answer lists them)
            raise NotAnAnswer(f"{path.name}: row {index + 1} has no exp_mjd_start")
        obs_id = _text(get("obs_id"))
        log = _text(get("exp_validation_log"))
        level = get("exp_validation_level")
        record = ExposureRecord(
            exp_id=_text(get("exp_id")),
            header_id=_text(get(header_field)),
            mjd_start=mjd_start,
            mjd_end=_double(get("exp_mjd_end")) or mjd_start,
            category=_text(get("obs_type")),
            instrument=_text(get("instrument_name")),
            interferometer=_text(get("interferometer_name")) or "VLTI",
            obs_id=int(obs_id) if obs_id.lstrip("-").isdigit() else None,
            program=_text(get("obs_program")),
            stations=_text(get("interferometer_stations")),
            mode=_text(get("instrument_mode")),
            submode=_text(get("instrument_submode")),
            baselines=_baselines(_text(get("exp_projected_baselines"))),
            tau0=_double(get("exp_tau0")),
            seeing=_double(get("exp_seeing")),
            temperature=_double(get("exp_temperature")),
            target_name=_text(get("target_name")),
            ra=_double(get("target_ra")),
            dec=_double(get("target_dec")),
            validation_level=1 if level is None or level is _MASKED else int(level),
            validation_log=json.loads(log) if log else [],
            program_title=_text(get("obs_program_title")),
            program_pi_coi=_text(get("obs_program_pi_coi")),
            date_release=_moment(_text(get("exp_date_release"))),
            em_min=_double(get("instrument_em_min")),
            em_max=_double(get("instrument_em_max")),
            res_power=_double(get("instrument_em_res_power")),
        )
        yield record, _moment(_text(get("exp_date_updated"))) or now


def import_answer(path: Path) -> tuple[int, int]:
    """Create the exposures of an original answer; exposures already here are left as they
    are (what the portal harvested itself wins). Returns (created, already here)."""
    rows = list(records_of_answer(path))
    known = set(
        Exposure.objects.filter(exp_id__in=[r.exp_id for r, _ in rows]).values_list(
            "exp_id", flat=True
        )
    )
    new = [
        Exposure(date_updated=updated, **record.values())
        for record, updated in rows
        if record.exp_id not in known
    ]
    with transaction.atomic():
        Exposure.objects.bulk_create(new, batch_size=1000)
    return len(new), len(rows) - len(new)
