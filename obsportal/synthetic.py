"""SYNTHETIC exposures for benchmarks and demos: the shape of the real ObsPortal, not its data.

About 300,000 exposures of about 5,500 targets in the southern sky, the VLTI instruments in
the years each was offered, observing blocks of consecutive exposures, a few targets observed
very often (a Zipf-like law) and most a few times, plausible stations, baselines, modes and
weather. Everything is labelled: exposure ids start with ``SYNTH.``, the programme is
``SYNTHETIC``, target names ``SYNTH-nnnn``, and the validation log says so. The instrument mix
and the distributions are assumptions, not measured on the real archive.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from lib.bulk_copy import copy_available, copy_in

from .headers import ExposureRecord
from .models import Exposure

PROGRAM = "SYNTHETIC"
LABEL = "Synthetic exposure for benchmarks and demos: not ESO data"
MJD_ZERO = datetime.datetime(1858, 11, 17, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Instrument:
    name: str
    share: float  # of the exposures (an assumption)
    years: tuple[int, int]
    seconds: float  # one exposure
    modes: tuple[str, ...]
    submodes: tuple[str, ...]
    telescopes: int
    band: tuple[float, float, float]  # shortest and longest wavelength (m), resolving power


INSTRUMENTS = [
    Instrument("GRAVITY", 0.40, (2016, 2025), 300.0,
               ("LOW-COMBINED", "MEDIUM-COMBINED", "HIGH-COMBINED", "MEDIUM-SPLIT", "HIGH-SPLIT"),
               ("SINGLE", "DUAL"), 4, (1.99e-6, 2.45e-6, 500.0)),
    Instrument("PIONIER", 0.30, (2010, 2025), 60.0,
               ("FREE-H", "GRISM-H", "SMALL-H", "LARGE-H"), ("",), 4, (1.5e-6, 1.8e-6, 40.0)),
    Instrument("MATISSE", 0.10, (2018, 2025), 60.0,
               ("SI_PHOT_L_LOW", "SI_PHOT_N_LOW", "HIGH_SENS_L_LOW", "HIGH_SENS_N_LOW",
                "HIGH_SENS_L_MED"), ("",), 4, (2.8e-6, 13.0e-6, 30.0)),
    Instrument("AMBER", 0.12, (2004, 2018), 30.0,
               ("Low_JHK", "Medium_H_1_1.65", "Medium_K_1_2.3"), ("",), 3,
               (1.1e-6, 2.5e-6, 35.0)),
    Instrument("MIDI", 0.08, (2003, 2015), 60.0,
               ("HIGH_SENS+PRISM", "HIGH_SENS+GRISM", "SCI_PHOT+PRISM", "SCI_PHOT+GRISM"),
               ("",), 2, (8.0e-6, 13.0e-6, 30.0)),
]  # fmt: skip
CONFIGURATIONS = [
    ("U1", "U2", "U3", "U4"), ("A0", "B2", "D0", "C1"), ("K0", "G2", "D0", "J3"),
    ("A0", "G1", "J2", "J3"), ("A0", "G1", "J2", "K0"),
]  # fmt: skip


def mjd(year: float) -> float:
    moment = datetime.datetime(int(year), 1, 1, tzinfo=datetime.UTC)
    return (moment - MJD_ZERO).total_seconds() / 86400 + (year % 1) * 365.25


def targets(count: int, rng: random.Random) -> list[tuple[str, float, float]]:
    """(name, ra, dec): uniform on the sphere south of +30 degrees, as the VLTI sees it."""
    found = []
    for number in range(1, count + 1):
        dec = math.degrees(math.asin(rng.uniform(-1.0, 0.5)))
        found.append((f"SYNTH-{number:04d}", round(rng.uniform(0, 360), 6), round(dec, 6)))
    return found


def exposures(
    count: int = 300_000, target_count: int = 5_500, seed: int = 2026, *, skew: float = 0.9
) -> Iterator[ExposureRecord]:
    """``skew``: the Zipf exponent of the targets' popularity (0: every target alike, what
    the growth benchmark uses so that a cone's answer keeps its size as the table grows)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    sky = targets(target_count, rng)
    weights = [1.0 / rank**skew for rank in range(1, len(sky) + 1)]  # a few targets very often
    made = 0
    block = 0
    while made < count:
        instrument = rng.choices(INSTRUMENTS, [i.share for i in INSTRUMENTS])[0]
        name, ra, dec = rng.choices(sky, weights)[0]
        block += 1
        start = mjd(rng.uniform(instrument.years[0], instrument.years[1] + 0.999)) + 0.05
        stations = rng.choice(CONFIGURATIONS)[: instrument.telescopes]
        mode = rng.choice(instrument.modes)
        submode = rng.choice(instrument.submodes)
        category = "science" if rng.random() < 0.6 else "calibrator"
        length = {p: rng.uniform(8.0, 130.0) for p in _pairs(stations)}
        angle = {p: rng.uniform(-180.0, 180.0) for p in _pairs(stations)}
        tau0, seeing = rng.uniform(0.002, 0.010), rng.uniform(0.4, 1.5)
        temperature = rng.uniform(5.0, 20.0)
        for _ in range(min(rng.randint(3, 12), count - made)):
            end = start + instrument.seconds / 86400
            baselines = {}
            for pair in length:
                drift = rng.uniform(-1.0, 1.0)
                baselines[pair] = {
                    "length": [round(length[pair], 4), round(length[pair] + drift, 4)],
                    "angle": [round(angle[pair], 4), round(angle[pair] + abs(drift), 4)],
                }
                length[pair] += drift
                angle[pair] += abs(drift)
            header_id = f"SYNTH.{instrument.name[:5]}.{_iso(start)}.{made:06d}"
            yield ExposureRecord(
                exp_id=f"{header_id}_1", header_id=header_id, mjd_start=round(start, 8),
                mjd_end=round(end, 8), category=category, instrument=instrument.name,
                obs_id=block, program=PROGRAM, stations=" ".join(stations), mode=mode,
                submode=submode, baselines=baselines, tau0=round(tau0, 5),
                seeing=round(seeing, 3), temperature=round(temperature, 2), target_name=name,
                ra=ra, dec=dec, validation_log=[LABEL], em_min=instrument.band[0],
                em_max=instrument.band[1], res_power=instrument.band[2],
                program_title="Synthetic exposures (not ESO data)", program_pi_coi="SYNTHETIC",
            )  # fmt: skip
            made += 1
            start = end + 20 / 86400
            tau0 = max(0.001, tau0 * rng.uniform(0.9, 1.1))


def _pairs(stations) -> list[str]:
    return [f"{a}-{b}" for i, a in enumerate(stations) for b in stations[i + 1 :]]


def _iso(day: float) -> str:
    moment = MJD_ZERO + datetime.timedelta(days=day)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def create(
    count: int = 300_000, target_count: int = 5_500, *, batch: int = 5_000, skew: float = 0.9
) -> int:
    """Replace the synthetic exposures by ``count`` new ones; real exposures are untouched.
    On PostgreSQL the rows go in by COPY (lib/bulk_copy.py): a million in minutes."""
    now = timezone.now()
    made = (
        Exposure(date_updated=now, target_status="not_found",
                 target_note="Synthetic target: not asked to SIMBAD.", **record.values())
        for record in exposures(count, target_count, skew=skew)
    )  # fmt: skip
    with transaction.atomic():
        Exposure.objects.filter(program=PROGRAM).delete()
        if copy_available():
            return copy_in(Exposure, made)
        rows = []
        for exposure in made:
            rows.append(exposure)
            if len(rows) == batch:
                Exposure.objects.bulk_create(rows)
                rows = []
        Exposure.objects.bulk_create(rows)
    return count
