"""Rows written in bulk (lib/bulk_copy.py: COPY FROM STDIN on PostgreSQL, one prepared
statement per row on SQLite) store what bulk_create stores, hostile text and all: tabs,
newlines, backslashes, quotes in JSON, nulls, every digit of a float."""

import datetime

import pytest
from django.db import transaction
from django.forms.models import model_to_dict

from lib import bulk_copy
from lib.bulk_copy import Columns, copy_in, insert_rows, update_rows
from obsportal.models import Exposure, HarvestRun

pytestmark = [pytest.mark.django_db]

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
        # One row's name to escape among plain ones: COPY escapes a column only when some
        # text holds a character to escape (lib/bulk_copy._escaped).
        target_name=HOSTILE if n == 1 else f"plain {n}",
        target_note=HOSTILE[:300],
        ra=0.1 + 0.2,
        dec=None if n else -89.999999999,
        tau0=None,
        date_updated=when,
        date_release=None,
        baselines={HOSTILE: {"length": [1e-300, None], "angle": [1e300, -0.0]}},
        setup={"ISS.CONF": [HOSTILE, None, 1.5]},
        validation_log=[HOSTILE, "\\"] if n == 1 else [f"plain {n}"],
    )


def stored(prefix: str) -> list[dict]:
    rows = Exposure.objects.filter(exp_id__startswith=f"{prefix}.").order_by("exp_id")
    return [
        {k: v for k, v in model_to_dict(e).items() if k != "id"}
        | {"exp_id": e.exp_id[1:], "header_id": e.header_id[1:]}
        for e in rows
    ]


@pytest.mark.postgresql
def test_copy_stores_exactly_what_bulk_create_stores():
    Exposure.objects.bulk_create(made("A"))
    assert copy_in(Exposure, made("B")) == 3
    assert stored("B") == stored("A")
    assert stored("B")[1]["target_name"] == HOSTILE
    texts = Exposure.objects.values_list("baselines_text", flat=True)
    assert len(set(texts)) == 1 and "'end': '-0.0000'" in texts[0]  # the stored string, both ways


# COPY's text is sent in parts of PART_ROWS rows: a row a part, parts of uneven sizes, one part.
@pytest.mark.parametrize("part_rows", [1, 2, 100])
def test_rows_inserted_and_updated_in_bulk_store_what_bulk_create_stores(monkeypatch, part_rows):
    monkeypatch.setattr(bulk_copy, "PART_ROWS", part_rows)
    columns = Columns(Exposure)
    Exposure.objects.bulk_create(made("A"))
    rows = (columns.row(model_to_dict(e) | {"id": None}, add=True) for e in made("B"))
    assert insert_rows(columns, rows) == 3  # a generator, as ingestion gives it
    assert stored("B") == stored("A")

    Exposure.objects.bulk_create(made("C"))  # and the same rows written over other ones
    changed = (columns.row(model_to_dict(e) | {"exp_id": f"C{e.exp_id[1:]}"}, add=False)
               for e in made("A"))  # fmt: skip
    assert update_rows(columns, "exp_id", changed) == 3
    assert stored("C") == stored("A")


def test_no_row_runs_no_statement(django_assert_num_queries):
    columns = Columns(Exposure)
    with django_assert_num_queries(0):
        assert insert_rows(columns, iter([])) == 0
        assert update_rows(columns, "exp_id", (row for row in [])) == 0


def test_a_row_holds_what_the_fields_own_pre_save_writes():
    """A field whose value save() derives (here auto_now and auto_now_add; a value built
    from other fields alike) is written by the bulk path too: without it this NOT NULL
    column would be refused."""
    columns = Columns(HarvestRun)
    row = columns.row({"since_modified": "2020", "reached_modified": "2021"}, add=True)
    insert_rows(columns, [row])
    run = HarvestRun.objects.get()
    assert run.started_at is not None and run.heartbeat is not None


def test_a_negative_zero_is_stored_as_a_save_stores_it_beside_a_positive_one_and_a_null():
    """A save stores -0.0 as 0.0 on both databases (psycopg2 sends a negated zero, SQLite
    keeps no sign): the bulk rows do as a save does, whatever else the column holds."""
    import math

    def sign(value):
        return None if value is None else math.copysign(1, value)

    columns = Columns(Exposure)
    when = datetime.datetime(2024, 2, 29, tzinfo=datetime.UTC)
    rows = []
    for n, temperature in enumerate([None, 0.0, -0.0]):
        e = made_one("Z", n, when)
        e.temperature = temperature
        rows.append(columns.row(model_to_dict(e) | {"id": None}, add=True))
    insert_rows(columns, rows)
    saved = made_one("S", 0, when)
    saved.temperature = -0.0
    saved.save()
    stored = Exposure.objects.filter(exp_id__startswith="Z.").order_by("exp_id")
    signs = [sign(t) for t in stored.values_list("temperature", flat=True)]
    assert signs == [None, 1.0, sign(Exposure.objects.get(pk=saved.pk).temperature)]


def test_an_error_making_a_row_reaches_the_caller_as_itself_and_nothing_is_written():
    """Rows are made while COPY runs on PostgreSQL: an error there is the caller's own (not
    psycopg2's 'COPY from stdin failed'), as on SQLite, and no row of the batch stays."""
    columns = Columns(Exposure)

    def rows():
        for n, e in enumerate(made("E")):
            if n == 2:
                raise LookupError("the third row could not be made (invented)")
            yield columns.row(model_to_dict(e) | {"id": None}, add=True)

    with pytest.raises(LookupError, match="third row"), transaction.atomic():
        insert_rows(columns, rows())
    assert not Exposure.objects.filter(exp_id__startswith="E.").exists()


def test_columns_can_be_some_of_the_models_and_an_update_needs_its_key():
    some = Columns(Exposure, only=["temperature", "exp_id"])
    assert some.attnames == ["exp_id", "temperature"]  # the model's order
    with pytest.raises(ValueError, match="not columns of Exposure: temprature"):
        Columns(Exposure, only=["exp_id", "temprature"])
    with pytest.raises(ValueError, match="must hold their key, exp_id"):
        update_rows(Columns(Exposure, only=["temperature"]), "exp_id", [(1.0,)])


def test_some_columns_updated_in_bulk_leave_the_others_as_they_were():
    Exposure.objects.bulk_create([*made("A"), *made("B")])
    some = Columns(Exposure, only=["exp_id", "temperature", "target_name"])
    rows = [("A.0_1", 3.5, "renamed"), ("A.2_1", -1.0, HOSTILE)]
    assert update_rows(some, "exp_id", rows) == 2
    unchanged = stored("B")
    assert stored("A") == [
        unchanged[0] | {"temperature": 3.5, "target_name": "renamed"},
        unchanged[1],
        unchanged[2] | {"temperature": -1.0, "target_name": HOSTILE},
    ]


@pytest.mark.postgresql  # SQLite's rows are prepared as a save prepares them
@pytest.mark.parametrize(
    "value",
    [{1: "an integer key"}, {"big": 2**70 + 1}, {"nested": [{"k": [1.5, None, True]}], "é": "✓"}],
    ids=["integer key", "integer beyond 64 bits", "nested"],
)
def test_json_that_orjson_refuses_or_takes_is_stored_as_bulk_create_stores_it(value):
    """COPY's JSON texts come from orjson (a tenth of json.dumps' time on the baselines);
    what it refuses (keys not strings, integers beyond 64 bits) falls back to json.dumps."""
    a, b = made("A")[0], made("B")[0]
    a.setup = b.setup = value
    Exposure.objects.bulk_create([a])
    copy_in(Exposure, [b])
    assert stored("B") == stored("A")


@pytest.mark.postgresql
def test_a_date_in_json_is_refused_by_copy_as_by_a_save():
    """orjson would write a date; json.dumps, hence a save(), refuses it: so does COPY."""
    exposure = made("D")[0]
    exposure.setup = {"when": datetime.date(2020, 1, 1)}
    with pytest.raises(TypeError, match="not JSON serializable"), transaction.atomic():
        copy_in(Exposure, [exposure])


@pytest.mark.postgresql
def test_an_update_of_many_wide_rows_finds_each_by_its_key_not_by_scanning_the_table():
    """The temporary table of the rows is analysed: guessing its row count from its pages,
    the planner took 500 wide rows (the baselines) for many times as many and
    joined them by hashing the whole table, a scan that grows with the archive."""
    from django.db import connection

    from obsportal import synthetic

    synthetic.create(20_000, 500)
    with connection.cursor() as cursor:  # as autovacuum does after a bulk load
        cursor.execute(f"ANALYZE {Exposure._meta.db_table}")
    stored = list(Exposure.objects.order_by("pk").values_list("exp_id", "baselines")[:500])
    some = Columns(Exposure, only=["exp_id", "baselines"])
    assert some.attnames == ["exp_id", "baselines", "baselines_text"]  # written from them

    def table_reads() -> tuple[int, int]:  # whole-table scans, rows read by any means
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT seq_scan, seq_tup_read + idx_tup_fetch FROM pg_stat_xact_user_tables"
                " WHERE relname = %s",
                [Exposure._meta.db_table],
            )
            return cursor.fetchone()

    scans, read = table_reads()
    renamed = ({f"X{pair}": data for pair, data in b.items()} for _, b in stored)
    rows = (some.row({"exp_id": e, "baselines": b}, add=False, defaults={})
            for (e, _), b in zip(stored, renamed, strict=True))  # fmt: skip
    assert update_rows(some, "exp_id", rows) == 500
    scans_after, read_after = table_reads()
    # Each row found by its key and its new version's key checked unique against the old one:
    # two reads a row, not the table's 20,000.
    assert scans_after == scans and read_after - read <= 3 * 500
    assert Exposure.objects.filter(baselines_text__startswith="{'X").count() == 500
