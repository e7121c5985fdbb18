"""On PostgreSQL the database writes the rows of /search.votable and /scs itself: the bytes are
the Python writer's, for every real answer of the original service and for hostile rows (markup,
control characters, quotes, Unicode, NaN, None, huge and tiny doubles, negative zero)."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from lib.votable import VERSIONS, write_votable
from obsportal.models import Exposure
from obsportal.votable_answers import (
    COLUMNS,
    SCS_FIELDS,
    SCS_SOURCES,
    answer_rows,
    scs_votable,
    search_votable,
)
from tests.obsportal.builders import exposure

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the database writes the rows on PostgreSQL"
    ),
]


def as_bytes(pieces) -> bytes:
    return b"".join(p if isinstance(p, bytes) else p.encode() for p in pieces)


def python_answer(queryset, *, all_fields, version=None) -> bytes:
    """The answer as the Python writer writes it: the path SQLite takes."""
    columns = [c for c in COLUMNS if all_fields or c.short]
    from obsportal.votable_answers import OBSPORTAL_NAMESPACE

    return as_bytes(
        write_votable(
            [c.field for c in columns], answer_rows(queryset, columns), table_name="exposures",
            description="Interferometric exposures (ObsPortal of the JMDC portal)",
            params={"status": "OK"}, version=version or VERSIONS["1.4"],
            namespace=None if version else OBSPORTAL_NAMESPACE,
        )
    )  # fmt: skip


def assert_same_answers():
    exposures = Exposure.objects.all()
    assert exposures.exists()
    for all_fields in (True, False):
        for version in (None, *VERSIONS.values()):
            ours = as_bytes(search_votable(exposures, all_fields=all_fields, version=version))
            assert b"<TR>" in ours
            assert ours == python_answer(exposures, all_fields=all_fields, version=version)
    for version in VERSIONS.values():
        for maxrec in (1, 1000):
            sql = as_bytes(scs_votable(exposures, maxrec, version))
            ordered = exposures.order_by("mjd_start", "pk")
            rows = list(ordered.values_list(*SCS_SOURCES)[:maxrec])
            overflow = exposures.count() > maxrec
            infos = {"QUERY_STATUS": "OVERFLOW" if overflow else "OK"}
            after = None
            if version.info_after_table:
                infos = {"QUERY_STATUS": "OK"}
                said = {"QUERY_STATUS": "OVERFLOW"} if overflow else {}
                after = said.copy
            python = as_bytes(
                write_votable(
                    SCS_FIELDS, rows, table_name="results",
                    description="Simple Cone Search 1.03 of the VLTI exposures",
                    infos=infos, infos_after=after, version=version,
                )
            )  # fmt: skip
            assert sql == python


@pytest.mark.parametrize(
    "name",
    ["search.votable.xml", "obsportal-output-10.votable.xml", "obsportal-dev-spica.votable.xml"],
)
def test_the_database_writes_each_real_answer_as_the_python_writer(shared_dir, name):
    call_command("import_obsportal_answer", str(shared_dir / "obsportal" / "aspro" / name))
    assert_same_answers()


NUMBERS = [
    0.0, -0.0, 1.0, -1.0, 58849.0, 0.1, 1 / 3, -2 / 3, 1e-4, 1e-5, 1.5e-5, 5e-324, 2.2250738585072014e-308,
    1e15, -1e15, 1.5e15, 1125899906842624.2, 9999999999999998.0, 1e16, -1.5e16, 123456789012345.0,
    999999999999999.9, 1.7976931348623157e308, 1e22, 1e23, 0.30000000000000004, 2.5, 100.0,
    float("nan"), float("inf"), float("-inf"), None,
]  # fmt: skip
TEXTS = [
    "", "plain", "<b>bold</b> & 'quoted' \"double\"", "tab\there\nnewline\r", "\x01\x02\x07\x0b\x0c\x1f",
    "Ångström µas — 東京 🌟", "]]> <![CDATA[", "&amp; already", "\ufffe\uffff\ufffd", "%s %(x)s {0} {pk}",
    "\x01only forbidden\x08",
]  # fmt: skip


def test_the_database_writes_hostile_rows_as_the_python_writer():
    baselines = [
        {},
        {"U1-U2": {"length": [50.159, None], "angle": [-14.6, 0.00005]}, "A0<&>B2": {"length": [0.00015, 0.12345], "angle": [-0.00001, 359.99995]}},
        {"K0-A1": {"length": [123456.78915, 2.675], "angle": [None, None]}},
        {"X-Y": {"length": [1e12, 5.0], "angle": [1.0, 2.0]}, "A\x01\x1f-B\ufffe": {"length": [1.0, 2.0], "angle": [3.0, 4.0]}},  # a kilometre: written as any other
    ]  # fmt: skip
    start = datetime.datetime(2019, 2, 16, 4, 26, 53, 999999, tzinfo=datetime.UTC)
    for n in range(max(len(NUMBERS), len(TEXTS))):
        number = NUMBERS[n % len(NUMBERS)]
        other = NUMBERS[(n * 7 + 3) % len(NUMBERS)]
        word = TEXTS[n % len(TEXTS)]
        exposure(
            f"HOSTILE.{n}_1", (n * 37.5) % 360 if n % 5 else None, -89.5 + n, mjd_start=58849.0 + n, mjd_end=58849.5 + n,
            tau0=number, seeing=other, temperature=NUMBERS[(n * 3) % len(NUMBERS)],
            em_min=other, em_max=number, res_power=number, target_name=word,
            program_title=word, program_pi_coi=TEXTS[(n + 5) % len(TEXTS)], mode=word,
            stations=TEXTS[(n + 2) % len(TEXTS)], obs_id=None if n % 2 else 2**40 + n,
            validation_log=[word, "Missing 'HIERARCH ISS AMBI TAU0 START'"],
            baselines=baselines[n % len(baselines)],
            date_updated=start + datetime.timedelta(days=n),
            date_release=None if n % 3 else timezone.now(),
        )  # fmt: skip
    assert_same_answers()
