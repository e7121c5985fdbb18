"""Releases: frozen rows, a bundle with checksums, immutability."""

import datetime
import hashlib
import io
import re
import zipfile

import pytest
from astropy.table import Table
from openpyxl import load_workbook

from jmdc.models import CATALOGUE_FIELDS, Measurement, Release, ReleaseFile, ReleaseRow
from jmdc.releases import (
    ReleaseError,
    build,
    bundle_zip,
    freeze,
    frozen_rows,
)
from tests.builders import measurement

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 23)


def cut(version: str, date=DAY) -> Release:
    rows = Measurement.objects.public().in_export_order().values_list("pk", *CATALOGUE_FIELDS)
    release = freeze(((pk, tuple(v)) for pk, *v in rows), version=version, date=date)
    return build(release.pk).release


def files_of(release: Release) -> dict[str, bytes]:
    return {f.name: bytes(f.content) for f in release.files.all()}


def test_a_release_holds_its_rows_and_a_bundle_with_checksums():
    measurement(id1="HD360", ld_diam=0.906)
    measurement(id1="HD3750", ld_diam=1.003, bibcode="2019Natur.567..200P")
    release = cut("2026.1")
    assert release.status == "ready" and release.row_count == 2 and release.star_count == 2
    files = files_of(release)
    assert set(files) == {
        "ReadMe", "jmdc.dat", "jmdc.csv", "jmdc.xlsx", "jmdc.vot", "datacite.json", "SHA256SUMS"
    }  # fmt: skip
    sums = dict(line.split("  ")[::-1] for line in files["SHA256SUMS"].decode().splitlines())
    assert set(sums) == set(files) - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest
    assert re.search(rb"^jmdc\.dat\s+335\s+2\s", files["ReadMe"], re.M)
    assert files["jmdc.csv"].count(b"\n") == 2  # header + 2 rows, no final newline
    assert len(load_workbook(io.BytesIO(files["jmdc.xlsx"]))["jmdc"]["A"]) == 3
    assert b'<INFO name="release" value="2026.1"/>' in files["jmdc.vot"]


def test_the_dump_reads_back_through_its_own_readme(tmp_path):
    measurement(id1="HD360", ld_diam=0.906, method=None)
    files = files_of(cut("2026.1"))
    (tmp_path / "ReadMe").write_bytes(files["ReadMe"])
    (tmp_path / "jmdc.dat").write_bytes(files["jmdc.dat"])
    table = Table.read(tmp_path / "jmdc.dat", readme=str(tmp_path / "ReadMe"), format="ascii.cds")
    assert list(table["ID1"]) == ["HD360"] and table["LDdiam"][0] == pytest.approx(0.906)


def test_cutting_v6_leaves_v5_byte_for_byte_as_it_was():
    first = measurement(id1="HD360", ld_diam=0.906)
    v5 = cut("v5")
    before = files_of(v5)
    before_zip = bundle_zip(v5)

    Measurement.objects.filter(pk=first.pk).update(ld_diam=0.95)  # a correction
    measurement(id1="HD3750", ld_diam=1.003)  # a new measurement
    v6 = cut("v6", date=DAY + datetime.timedelta(days=1))

    v5.refresh_from_db()
    assert files_of(v5) == before and bundle_zip(v5) == before_zip
    assert [r[1][3] for r in frozen_rows(v5)] == [0.906]
    assert v6.previous == v5
    assert v6.changelog["counts"] == {
        "before": 1, "after": 2, "added": 1, "removed": 0, "changed": 1, "unchanged": 0,
    }  # fmt: skip
    assert v6.changelog["changed"][0]["fields"] == {"LD_DIAM": [0.906, 0.95]}
    assert files_of(v6)["jmdc.dat"] != before["jmdc.dat"]


def test_a_ready_release_is_never_written_again():
    measurement()
    release = cut("2026.1")
    assert build(release.pk).built is False
    stored = release.files.get(name="jmdc.dat")
    stored.content = b"tampered"
    with pytest.raises(ValueError, match="never change"):
        stored.save()
    row = release.rows.get()
    row.ld_diam = 9.0
    with pytest.raises(ValueError, match="never change"):
        row.save()
    assert bytes(ReleaseFile.objects.get(pk=stored.pk).content) != b"tampered"


def test_a_version_is_used_once_and_an_empty_catalogue_is_not_released():
    with pytest.raises(ReleaseError, match="no public measurement"):
        cut("2026.1")
    assert not Release.objects.exists()
    measurement()
    cut("2026.1")
    with pytest.raises(ReleaseError, match="exists already"):
        cut("2026.1")
    assert Release.objects.count() == 1 and ReleaseRow.objects.count() == 1


def test_a_value_beyond_the_vizier_layout_is_refused_before_anything_is_frozen():
    bad = measurement(ld_diam=123.4)  # LDdiam is F7.4
    with pytest.raises(ReleaseError, match=rf"measurement {bad.pk} .*F7.4.*Correct it"):
        cut("2026.1")
    assert not Release.objects.exists()


def test_the_bundle_zip_holds_every_file_in_a_dated_folder():
    measurement()
    release = cut("2026.1")
    archive = zipfile.ZipFile(io.BytesIO(bundle_zip(release)))
    assert archive.namelist()[0] == "jmdc-2026.1/ReadMe"
    assert {n.split("/")[1] for n in archive.namelist()} == set(files_of(release))
    assert all(info.date_time[:3] == (2026, 11, 23) for info in archive.infolist())
    assert archive.read("jmdc-2026.1/jmdc.dat") == files_of(release)["jmdc.dat"]


def test_a_release_whose_readme_cannot_be_written_fails_with_the_reason_not_stuck_building():
    measurement()
    release = cut("2026.1")
    # A version from before versions were limited to what the ReadMe's history line holds.
    Release.objects.filter(pk=release.pk).update(version="v" * 40, status=Release.Status.BUILDING)
    ReleaseFile.objects.filter(release=release).delete()
    result = build(release.pk)
    assert result.release.status == Release.Status.FAILED
    assert "ReadMe: 1 line(s) longer than 80 characters" in result.release.error
