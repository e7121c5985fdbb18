"""Ingesting the real headers, and again."""

import datetime

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.utils import timezone

from jmdc.models import Star
from obsportal.headers import ExposureRecord, map_header
from obsportal.ingest import IngestReport, ingest_paths, upsert
from obsportal.models import Exposure
from tests.obsportal.builders import PIONIER_KEYWORDS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::astropy.utils.exceptions.AstropyWarning"),
]


def test_ingest_and_ingest_again(shared_dir, capsys, tmp_path):
    folder = shared_dir / "obsportal" / "headers"
    call_command("ingest_headers", str(folder))
    out = capsys.readouterr().out
    # The MATISSE FITS file and its text dump are the same exposure.
    assert "4 exposures created, 0 updated, 0 headers not ingested" in out
    assert "incomplete: GRAVI.2020-01-27T03:39:22.003_1: Missing 'HIERARCH ESO DPR CATG'" in out
    assert Exposure.objects.count() == 4
    before = Exposure.objects.get(exp_id="PIONI.2017-12-23T05:46:54.265_1").date_updated

    report = ingest_paths(sorted(folder.iterdir()))
    assert (report.created, report.updated) == (0, 0)
    assert Exposure.objects.get(exp_id="PIONI.2017-12-23T05:46:54.265_1").date_updated == before

    # A header that changed (the archive reprocessed it) updates the exposure.
    text = (folder / "PIONI.2017-12-23T05-46-54.265.primary.hdr.txt").read_text()
    changed = tmp_path / "PIONI.hdr.txt"
    changed.write_text(
        text.replace("HIERARCH ESO ISS AMBI TEMP = 13.69", "HIERARCH ESO ISS AMBI TEMP = 14.00")
    )
    report = ingest_paths([changed])
    assert (report.created, report.updated) == (0, 1)
    exposure = Exposure.objects.get(exp_id="PIONI.2017-12-23T05:46:54.265_1")
    assert exposure.temperature == 14.0 and exposure.date_updated > before


def test_a_file_that_is_not_a_header_is_reported(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("this is not a FITS header\n")
    report = ingest_paths([junk])
    assert report.created == 0 and report.skipped and report.skipped[0].startswith("notes.txt:")


HOSTILE = 'tab\there, line\nbreak\r, back\\slash \\N, "quoted" <&> é ✓'


def header_records(prefix: str) -> list[ExposureRecord]:
    """Three INVENTED exposures as headers give them (no archive title, PI or release)."""
    return [
        ExposureRecord(
            exp_id=f"{prefix}.2020-01-0{n}T00:00:00.000_1",
            header_id=f"{prefix}.2020-01-0{n}T00:00:00.000",
            mjd_start=58849.123456789 + n,
            mjd_end=58849.2 + n,
            category="science",
            instrument="PIONIER",
            obs_id=None if n else 7,
            stations="A0 B2",
            baselines={"A0-B2": {"length": [10.1 + n, 0.1 + 0.2], "angle": [5.0, None]}},
            temperature=13.69,
            target_name=f"TEST STAR {n}",
            ra=10.0 + n,
            dec=-20.0,
            validation_log=[],
        )
        for n in range(1, 4)
    ]


def stored(prefix: str) -> list[dict]:
    rows = Exposure.objects.filter(exp_id__startswith=f"{prefix}.").order_by("exp_id")
    return [
        {k: v for k, v in model_to_dict(e).items() if k not in ("id", "date_updated")}
        | {"exp_id": e.exp_id[len(prefix) :], "header_id": e.header_id[len(prefix) :]}
        | {"baselines_text": e.baselines_text}  # not editable: model_to_dict leaves it out
        for e in rows
    ]


@pytest.mark.parametrize("batch", [1000, 2])
def test_a_reprocessed_header_changes_its_exposure_as_a_save_of_each_would(monkeypatch, batch):
    """The bulk update (COPY and UPDATE ... FROM on PostgreSQL, one statement per row on
    SQLite) stores what saving each exposure would, hostile text and all; fields the
    archive filled in stay when the header has none, a new target is identified again, and
    an unchanged header leaves its exposure alone. Batches smaller than the headers too."""
    monkeypatch.setattr("obsportal.ingest.BATCH", batch)
    star = Star.objects.create(name="HD 1", main_id="HD 1", status=Star.Status.RESOLVED)
    released = datetime.datetime(2021, 6, 1, tzinfo=datetime.UTC)
    for prefix in ("SAVED", "BULK"):
        upsert(header_records(prefix), IngestReport())
        Exposure.objects.filter(exp_id__startswith=f"{prefix}.").update(
            star=star, target_status=Exposure.TargetStatus.IDENTIFIED, target_note="checked",
            program_title="From the archive", program_pi_coi="INVENTED/ PI",
            date_release=released,
        )  # fmt: skip
    before = {e.exp_id: e.date_updated for e in Exposure.objects.all()}

    def reprocessed(prefix: str) -> list[ExposureRecord]:
        first, renamed, unchanged = header_records(prefix)
        first.mode, first.setup, first.temperature = HOSTILE[:64], {"KEY": HOSTILE}, 14.0
        first.validation_level, first.validation_log = 0, [HOSTILE]
        first.baselines = {HOSTILE: {"length": [1e-300, None], "angle": [1e300, -0.0]}}
        renamed.target_name = "ANOTHER STAR"
        return [first, renamed, unchanged]

    # What saving each exposure would store.
    first, renamed, _ = reprocessed("SAVED")
    for record, new_target in ((first, False), (renamed, True)):
        exposure = Exposure.objects.get(exp_id=record.exp_id)
        for key, value in record.values().items():
            if key not in ("program_title", "program_pi_coi", "date_release"):
                setattr(exposure, key, value)
        if new_target:
            exposure.star, exposure.target_status, exposure.target_note = None, "pending", ""
        exposure.save()

    report = IngestReport()
    upsert(reprocessed("BULK"), report)
    assert (report.created, report.updated) == (0, 2)
    assert report.incomplete == [f"BULK.2020-01-01T00:00:00.000_1: {HOSTILE}"]
    assert stored("BULK") == stored("SAVED")
    first, renamed, unchanged = stored("BULK")
    assert first["mode"] == HOSTILE[:64] and first["star"] == star.pk
    assert first["baselines_text"].startswith("{'" + HOSTILE)  # the new baselines' string
    assert first["program_title"] == "From the archive" and first["date_release"] == released
    assert renamed["star"] is None and renamed["target_status"] == "pending"
    assert unchanged["star"] == star.pk and unchanged["target_note"] == "checked"
    after = {e.exp_id: e.date_updated for e in Exposure.objects.filter(exp_id__startswith="BULK.")}
    assert after["BULK.2020-01-03T00:00:00.000_1"] == before["BULK.2020-01-03T00:00:00.000_1"]
    assert after["BULK.2020-01-01T00:00:00.000_1"] > before["BULK.2020-01-01T00:00:00.000_1"]


def test_new_exposures_are_stored_as_a_save_of_each_would():
    for record in header_records("SAVED"):
        Exposure(date_updated=timezone.now(), **record.values()).save()
    report = IngestReport()
    upsert(header_records("BULK"), report)
    assert (report.created, report.updated) == (3, 0)
    assert stored("BULK") == stored("SAVED")


@pytest.mark.parametrize(
    "change",
    [
        {"setup": {"ISS.CONF.NTEL": 4}},
        {"baselines": {"A0-B2": {"length": [10.1, 0.30000000000000004], "angle": [5.0, 6.0]}}},
        {"validation_log": ["Missing 'HIERARCH ESO ISS AMBI TAU0START'"]},
    ],
    ids=["setup", "baselines", "validation log"],
)
def test_a_header_that_changes_only_a_json_field_updates_its_exposure(change):
    """Ingestion compares the other fields first and reads the stored JSON only when they
    are all equal: a change there alone must still count."""
    first, *_ = header_records("BULK")
    upsert([first], IngestReport())
    for name, value in change.items():
        setattr(first, name, value)
    report = IngestReport()
    upsert([first], report)
    assert (report.created, report.updated) == (0, 1)
    exposure = Exposure.objects.get(exp_id=first.exp_id)
    assert {name: getattr(exposure, name) for name in change} == change
    report = IngestReport()
    upsert([first], report)  # the same header again: nothing to change
    assert (report.created, report.updated) == (0, 0)


def test_a_header_with_a_nan_card_is_ingested_with_the_others_and_says_so():
    """A NaN card (invented) once became a NaN in the baselines' JSON, which PostgreSQL's
    jsonb refuses: the whole batch was lost. Now it is a missing value, logged."""
    broken = map_header({**PIONIER_KEYWORDS, "ISS.PBL12.START": "nan", "RA": float("inf")})
    report = IngestReport()
    upsert([*header_records("OTHER"), broken], report)
    assert report.created == 4 and len(report.incomplete) == 1
    assert "'HIERARCH ESO ISS PBL12 START' = 'nan' is not a finite number" in report.incomplete[0]
    stored_broken = Exposure.objects.get(exp_id=broken.exp_id)
    assert stored_broken.baselines["A0-B2"]["length"] == [None, 11.0] and stored_broken.ra is None


def test_a_reprocessed_header_writes_only_what_changed_and_keeps_an_identification_made_meanwhile(
    monkeypatch,
):
    """The UPDATE sets the columns some header of the batch changed, no other: a target
    identified (a Celery task, on its own connection) after ingestion read the stored
    exposure and before it wrote keeps its star, where writing every column again would put
    back the stale 'pending'."""
    from obsportal import ingest

    star = Star.objects.create(name="HD 2", main_id="HD 2", status=Star.Status.RESOLVED)
    first, second, third = header_records("BULK")
    upsert([first, second, third], IngestReport())
    first.temperature = 14.0  # the archive reprocessed the first header: one card changed
    second.target_name = "ANOTHER STAR"  # and the second's target: identified again
    written = []

    def identified_meanwhile(columns, key, rows):
        if not written:
            Exposure.objects.filter(exp_id=first.exp_id).update(
                star=star, target_status=Exposure.TargetStatus.IDENTIFIED
            )
        written.append({f.attname for f in columns.fields})
        return update_rows(columns, key, rows)

    update_rows = ingest.update_rows
    monkeypatch.setattr(ingest, "update_rows", identified_meanwhile)
    report = IngestReport()
    upsert([first, second, third], report)
    assert (report.created, report.updated) == (0, 2)
    target = {"star_id", "target_status", "target_note"}
    assert sorted(written, key=len) == [
        {"exp_id", "temperature", "date_updated"},
        {"exp_id", "target_name", "date_updated", *target},
    ]
    exposure = Exposure.objects.get(exp_id=first.exp_id)
    assert exposure.temperature == 14.0 and exposure.star == star
    assert exposure.target_status == Exposure.TargetStatus.IDENTIFIED
    renamed = Exposure.objects.get(exp_id=second.exp_id)
    assert renamed.target_name == "ANOTHER STAR" and renamed.target_status == "pending"


def test_headers_changing_different_fields_in_one_batch_each_keep_the_others():
    """Headers of one batch changing different fields: each exposure gets its own changes,
    and a new baselines' string with new baselines only."""
    first, second, third = header_records("BULK")
    upsert([first, second, third], IngestReport())
    first_text = Exposure.objects.get(exp_id=first.exp_id).baselines_text
    first.temperature = 20.5
    second.baselines = {"A0-B2": {"length": [30.0, 31.0], "angle": [1.0, 2.0]}}
    report = IngestReport()
    upsert([first, second, third], report)
    assert (report.created, report.updated) == (0, 2)
    saved = {e.exp_id: e for e in Exposure.objects.filter(exp_id__startswith="BULK.")}
    assert saved[first.exp_id].temperature == 20.5
    assert saved[first.exp_id].baselines == header_records("BULK")[0].baselines
    assert saved[second.exp_id].temperature == 13.69
    assert saved[second.exp_id].baselines == second.baselines
    assert "'start': '30.0000', 'end': '31.0000'" in saved[second.exp_id].baselines_text
    assert saved[first.exp_id].baselines_text == first_text


def test_an_infinite_setup_card_is_left_out_and_logged_and_the_header_not_changed_again():
    """A setup card of 1e999 (invented) reads as infinity, which the setup's JSON cannot hold
    (COPY would store null, a save be refused, and every later ingestion see a change)."""
    keywords = {**PIONIER_KEYWORDS, "INSTRUME": "AMBER", "INS.MODE": float("inf")}
    record = map_header(keywords)
    assert record.setup == {} and record.validation_level == 0
    assert "'HIERARCH ESO INS MODE' = inf is not a finite number" in record.validation_log
    report = IngestReport()
    upsert([record], report)
    assert report.created == 1
    report = IngestReport()
    upsert([map_header(keywords)], report)
    assert (report.created, report.updated) == (0, 0)


@pytest.mark.parametrize("big", [2**70 + 1, -(2**63) - 1], ids=["above 2**64", "below -2**63"])
def test_a_stored_integer_beyond_64_bits_is_not_seen_as_changed_again(big):
    """orjson reads such an integer as a float, unequal to the header's: json confirms."""
    first, *_ = header_records("BULK")
    first.setup = {"INS.BIG": big}
    upsert([first], IngestReport())
    report = IngestReport()
    upsert([first], report)
    assert (report.created, report.updated) == (0, 0)
