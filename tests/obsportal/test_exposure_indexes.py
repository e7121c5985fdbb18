"""The exposures' indexes: each searched column indexed once, and exp_id unique.

Every index is written at each ingested row: a copy that no query reads only slows the
ingestion (issue 20). Which query reads each index is said in obsportal/models.py's Meta."""

import pytest
from django.db import IntegrityError, connection, transaction

from obsportal.models import Exposure
from tests.obsportal.builders import exposure

pytestmark = pytest.mark.django_db


def indexes_by_columns() -> dict[tuple[str, ...], list[dict]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Exposure._meta.db_table)
    by_columns: dict[tuple[str, ...], list[dict]] = {}
    for constraint in found.values():
        if constraint["index"] or constraint["unique"]:
            by_columns.setdefault(tuple(constraint["columns"]), []).append(constraint)
    return by_columns


def test_each_looked_up_text_column_has_one_index_and_the_others_none():
    indexes = indexes_by_columns()
    for column in ("exp_id", "program", "target_status"):
        assert len(indexes.get((column,), [])) == 1, (column, indexes.get((column,)))
    assert indexes[("exp_id",)][0]["unique"]
    assert ("instrument", "mjd_start") in indexes  # serves an equality on the instrument
    assert ("header_id",) not in indexes and ("instrument",) not in indexes
    # The cone's box: (dec, ra) serves the declination too, on both databases (migration 0012).
    assert len(indexes[("dec", "ra")]) == 1 and ("dec",) not in indexes


@pytest.mark.postgresql
def test_no_index_of_the_exposures_is_a_pattern_copy_on_postgresql():
    """Django's varchar_pattern_ops copies serve only a case-sensitive LIKE 'prefix%', which
    no search asks (istartswith and iexact compile to UPPER(...) LIKE)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            [Exposure._meta.db_table, "%pattern_ops%"],
        )
        assert cursor.fetchall() == []


def test_an_exposure_id_stored_twice_is_refused_by_the_database():
    exposure("TEST.1_1", 10.0, -10.0)
    with pytest.raises(IntegrityError), transaction.atomic():
        exposure("TEST.1_1", 11.0, -11.0)
    assert Exposure.objects.count() == 1


def test_codes_are_ordered_byte_by_byte_on_both_databases():
    """exp_id, programme, instrument and target status are codes (obsportal.models.CodeField):
    ordered as Python orders them, the same on SQLite and PostgreSQL, where the database's
    en_US collation would put 'a-2' before 'A.1' and ignore the punctuation."""
    codes = ["b.1", "B-2", "a-2", "A.1", "0104.D-0001(A)", "60.A-9801(L)", "A1"]
    for n, code in enumerate(codes):
        exposure(f"{code}_1", 10.0, -10.0, program=code, instrument=code[:16], mjd_start=n)
    for field in ("exp_id", "program", "instrument"):
        stored = list(Exposure.objects.order_by(field).values_list(field, flat=True))
        assert stored == sorted(stored) and len(stored) == len(codes), field
    # Looked up as they are written (the case and the punctuation count).
    assert Exposure.objects.get(exp_id="A.1_1").program == "A.1"
    assert not Exposure.objects.filter(exp_id="a.1_1").exists()
