"""The baselines string the clients read is stored with the exposure (the answers write it for
every row) and follows the baselines through every way an exposure is written. Values INVENTED."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from lib.bulk_copy import copy_available, copy_in
from obsportal import synthetic
from obsportal.headers import baselines_string
from obsportal.ingest import IngestReport, upsert
from obsportal.models import Exposure
from tests.obsportal.builders import exposure

pytestmark = pytest.mark.django_db

PIONIER = {"A0-B2": {"length": [10.0, 11.25], "angle": [5.0, None]}}
GRAVITY = {"U1-U2": {"length": [56.1, 55.9], "angle": [33.3, 34.0]}, "U1-U3": {"length": [102.4, 101.9], "angle": [25.5, 26.1]}}  # fmt: skip


def stored(exp_id: str) -> str:
    return Exposure.objects.values_list("baselines_text", flat=True).get(exp_id=exp_id)


def test_a_saved_exposure_stores_the_clients_string_of_its_baselines():
    e = exposure("TEST.1_1", 10.0, -10.0, baselines=PIONIER)
    assert stored("TEST.1_1") == "{'A0-B2': {'length': {'start': '10.0000', 'end': '11.2500'}, 'angle': {'start': '5.0000', 'end': None}}}"  # fmt: skip
    e.baselines = GRAVITY
    e.save()
    assert stored("TEST.1_1") == baselines_string(GRAVITY)
    e.baselines = {}
    e.save()
    assert stored("TEST.1_1") == ""


def records(count: int):
    return list(synthetic.exposures(count, 3, seed=11))


def test_exposures_written_in_bulk_store_it_too():
    now = timezone.now()
    written = records(6)
    made = [Exposure(date_updated=now, **r.values()) for r in written]
    Exposure.objects.bulk_create(made[:3])
    if copy_available():
        copy_in(Exposure, made[3:])
    else:
        Exposure.objects.bulk_create(made[3:])
    # In the order the header gave the pairs (PostgreSQL's jsonb sorts the keys it keeps).
    expected = {r.exp_id: baselines_string(r.baselines) for r in written}
    assert any(expected.values())
    assert dict(Exposure.objects.values_list("exp_id", "baselines_text")) == expected


def test_ingesting_a_header_again_with_other_baselines_writes_the_new_string():
    first, second = records(2)
    upsert([first, second], IngestReport())
    assert stored(first.exp_id) == baselines_string(first.baselines) != ""
    first.baselines = GRAVITY  # the archive reprocessed the file: other projected baselines
    report = IngestReport()
    upsert([first, second], report)
    assert report.updated == 1
    assert stored(first.exp_id) == baselines_string(GRAVITY)
    assert stored(second.exp_id) == baselines_string(second.baselines)


def test_the_migration_writes_the_string_of_the_exposures_already_there():
    exposure("TEST.1_1", 10.0, -10.0, baselines=PIONIER)
    exposure("TEST.2_1", 11.0, -10.0, baselines={})
    Exposure.objects.update(baselines_text="")  # as the rows were before the field
    migration = importlib.import_module("obsportal.migrations.0007_baselines_text_stored")
    # What the migration is given: the connection and its quoting (a schema editor's).
    editor = SimpleNamespace(connection=connection, quote_name=connection.ops.quote_name)
    migration.write_baselines_text(apps, editor)
    assert stored("TEST.1_1") == baselines_string(PIONIER)
    assert stored("TEST.2_1") == ""


def test_saving_only_the_baselines_writes_their_string_too():
    e = exposure("TEST.1_1", 10.0, -10.0, baselines=PIONIER)
    e.baselines = GRAVITY
    e.save(update_fields=["baselines"])
    assert stored("TEST.1_1") == baselines_string(GRAVITY)


def test_a_stored_string_with_a_character_xml_forbids_is_refused():
    """The answers write the stored string with only its markup escaped: a write that went
    round pre_save (update(), loaddata) cannot leave a character XML forbids in it."""
    exposure("TEST.1_1", 10.0, -10.0, baselines=PIONIER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Exposure.objects.update(baselines_text="{'A0-B2\x01': None}")
    assert stored("TEST.1_1") == baselines_string(PIONIER)
