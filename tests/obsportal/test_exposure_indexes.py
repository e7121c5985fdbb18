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
