"""The curators' spreadsheets of 2016-2019 become historical releases with complete changelogs."""

import itertools
from collections import Counter

import pytest
from django.core.management import call_command

from jmdc.importing.catalogue_file import read_catalogue_file
from jmdc.importing.release_history import import_spreadsheet_versions
from jmdc.models import Release
from jmdc.releases import apply_changelog, frozen_rows

pytestmark = pytest.mark.django_db

# The row counts of the spreadsheet versions, from ../shared/jmdc/PROVENANCE.md.
SPREADSHEET_ROWS = {
    "20160831": 1236, "20160906": 1236, "20161116": 1239, "20161117": 1239, "20161201": 1239,
    "20170328": 1238, "20170406": 1241, "20170412": 1315, "20170427": 1363, "20180329": 1478,
    "20181220": 1554, "20190712": 1554,
}  # fmt: skip


def test_the_13_spreadsheet_versions_become_releases_with_complete_changelogs(shared_dir):
    folder = shared_dir / "jmdc" / "xls_versions_csv"
    paths = sorted(folder.glob("JMDC_*.csv"))
    assert len(paths) == 13
    results = import_spreadsheet_versions(paths)
    releases = list(Release.objects.order_by("date", "pk"))
    assert len(releases) == 13 and all(r.status == "ready" for r in releases)
    for release in releases:
        assert release.row_count == SPREADSHEET_ROWS[release.version[4:12]], release.version
    assert all(item.rejected == 0 for item in results)

    # Each changelog, applied to the release before, gives exactly the next one's rows.
    for previous, release in itertools.pairwise(releases):
        assert release.previous == previous
        old = [values for _, values in frozen_rows(previous)]
        new = [values for _, values in frozen_rows(release)]
        assert Counter(apply_changelog(old, release.changelog)) == Counter(new), release.version
        counts = release.changelog["counts"]
        assert counts["after"] - counts["before"] == counts["added"] - counts["removed"]

    by_version = {r.version[4:]: r for r in releases}
    # Readable: in Sept. 2016 the ten Antares rows took the CCDM name...
    sept = by_version["20160906-10781062"].changelog
    assert sept["counts"]["changed"] == 10
    assert {tuple(c["fields"]["ID1"]) for c in sept["changed"]} == {
        ("HD148478", "CCDM J16294-2626 A")
    }
    # ...and the spreadsheet of 28 March 2017 lost exactly one row.
    assert by_version["20170328-872dc6e1"].changelog["counts"]["removed"] == 1

    # The frozen rows are the file's rows, read by the same reader as the imports.
    first = read_catalogue_file(paths[0])
    assert Counter(row.key() for _, row in first.rows) == Counter(
        values for _, values in frozen_rows(releases[0])
    )
    # Importing again adds nothing.
    assert all(item.release is None for item in import_spreadsheet_versions(paths))


def test_the_history_command_reports_each_version(shared_dir, capsys):
    folder = shared_dir / "jmdc" / "xls_versions_csv"
    call_command("import_release_history", str(folder / "JMDC_20170328_872dc6e1.csv"),
                 str(folder / "JMDC_20170406_796bf6dd.csv"))  # fmt: skip
    out = capsys.readouterr().out
    assert "xls-20170328-872dc6e1: 1238 rows (0 not readable), ready" in out
    assert "against xls-20170328-872dc6e1: +3 -0 ~0" in out
