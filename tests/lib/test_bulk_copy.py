"""COPY FROM STDIN (lib/bulk_copy.py) stores what bulk_create stores, hostile text and all:
tabs, newlines, backslashes, quotes in JSON, nulls, every digit of a float."""

import datetime

import pytest
from django.forms.models import model_to_dict

from lib.bulk_copy import copy_in
from obsportal.models import Exposure

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]

HOSTILE = 'tab\there, line\nbreak\r, back\\slash \\N, "quoted" <&> é ✓'


def made(prefix: str) -> list[Exposure]:
    when = datetime.datetime(2024, 2, 29, 23, 59, 58, 123456, tzinfo=datetime.UTC)
    return [made_one(prefix, n, when) for n in range(3)]


def made_one(prefix: str, n: int, when: datetime.datetime) -> Exposure:
    return Exposure(
        exp_id=f"{prefix}.{n}_1",
        header_id=f"{prefix}.{n}",
        mjd_start=58849.123456789 + n,
        mjd_end=58849.2 + n,
        category="science",
        instrument="GRAVITY",
        obs_id=None if n else 7,
        program=HOSTILE[:32],
        target_name=HOSTILE,
        target_note=HOSTILE[:300],
        ra=0.1 + 0.2,
        dec=None if n else -89.999999999,
        tau0=None,
        date_updated=when,
        date_release=None,
        baselines={HOSTILE: {"length": [1e-300, None], "angle": [1e300, -0.0]}},
        setup={"ISS.CONF": [HOSTILE, None, 1.5]},
        validation_log=[HOSTILE, "\\"],
    )


def stored(prefix: str) -> list[dict]:
    rows = Exposure.objects.filter(exp_id__startswith=f"{prefix}.").order_by("exp_id")
    return [
        {k: v for k, v in model_to_dict(e).items() if k != "id"}
        | {"exp_id": e.exp_id[1:], "header_id": e.header_id[1:]}
        for e in rows
    ]


def test_copy_stores_exactly_what_bulk_create_stores():
    Exposure.objects.bulk_create(made("A"))
    assert copy_in(Exposure, made("B")) == 3
    assert stored("B") == stored("A")
    assert stored("B")[0]["target_name"] == HOSTILE
    texts = Exposure.objects.values_list("baselines_text", flat=True)
    assert len(set(texts)) == 1 and "'end': '-0.0000'" in texts[0]  # the stored string, both ways
