"""The importer and the export on the real JMDC files of ../shared/jmdc (read at run time)."""

import csv
import re

import pytest

from jmdc.importing.catalogue_file import import_catalogue, read_catalogue_file
from jmdc.models import Measurement, Star

pytestmark = pytest.mark.django_db

# Rows per file, as documented in ../shared/jmdc/PROVENANCE.md.
DOCUMENTED_ROWS = {
    "JMDC_full_20200730.csv": 1766,
    "JMDC_20160831_4401862b.csv": 1236,
    "JMDC_20160906_10781062.csv": 1236,
    "JMDC_20161116_23c0a73c.csv": 1239,
    "JMDC_20161117_f55079da.csv": 1239,
    "JMDC_20161201_25b9ec46.csv": 1239,
    "JMDC_20170328_872dc6e1.csv": 1238,
    "JMDC_20170406_796bf6dd.csv": 1241,
    "JMDC_20170412_721ff693.csv": 1315,
    "JMDC_20170427_a610f21b.csv": 1363,
    "JMDC_20180329_49a9ee33.csv": 1478,
    "JMDC_20180329_c02b0585.csv": 1478,
    "JMDC_20181220_e821d0e3.csv": 1554,
    "JMDC_20190712_741fdea0.csv": 1554,
}
NUMERIC = ["UD_DIAM", "LD_DIAM", "E_LD_DIAM", "MU_LAMBDA", "BANDCODE"]


def real_file(shared_dir, name):
    folder = (
        shared_dir / "jmdc"
        if name.startswith("JMDC_full")
        else shared_dir / "jmdc" / "xls_versions_csv"
    )
    return folder / name


@pytest.mark.parametrize("name", sorted(DOCUMENTED_ROWS))
def test_every_real_file_imports_whole(shared_dir, name):
    result = import_catalogue(real_file(shared_dir, name))
    assert result.parsed.lines_read == DOCUMENTED_ROWS[name]
    assert result.parsed.rejected_lines == 0, [str(f) for f in result.parsed.findings if f.rejected]
    assert Measurement.objects.count() == DOCUMENTED_ROWS[name]
    assert not Measurement.objects.filter(bibcode__contains=" ").exists()


def test_the_2020_export_gives_one_star_per_distinct_star_and_maps_every_minus_one(shared_dir):
    path = real_file(shared_dir, "JMDC_full_20200730.csv")
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    minus_ones = sum(1 for row in rows for column in NUMERIC if row[column] in ("-1", "-1.0"))
    result = import_catalogue(path)
    assert result.parsed.legacy_nulls == minus_ones > 600
    # 925 distinct ID1, of which GJ 876 and GJ876 are one star (one canonical designation)
    assert len({row["ID1"].strip() for row in rows}) == 925
    assert Star.objects.count() == 924
    both = Star.objects.named(["GJ 876", "GJ876"])
    assert both["GJ 876"] == both["GJ876"]
    assert not Measurement.objects.filter(ud_diam=-1).exists()
    assert Measurement.objects.filter(method__isnull=True).count() == 70  # as documented


def test_importing_then_exporting_the_2020_file_gives_it_back_but_for_the_minus_ones(
    shared_dir, client
):
    path = real_file(shared_dir, "JMDC_full_20200730.csv")
    import_catalogue(path)
    original = path.read_text(encoding="utf-8")
    # The one documented normalisation of this file: -1.0 (legacy null) becomes empty.
    expected = re.sub(r'(?<=,)"-1(\.0)?"(?=,)', '""', original)
    assert expected != original
    response = client.get("/export_csv")
    exported = b"".join(response.streaming_content).decode("utf-8")
    assert exported.split("\n") == expected.split("\n")
    assert exported == expected


def test_the_spreadsheets_bibcode_dirt_is_cleaned(shared_dir):
    path = real_file(shared_dir, "JMDC_20190712_741fdea0.csv")
    parsed = read_catalogue_file(path)
    import_catalogue(path)
    bibcodes = set(Measurement.objects.values_list("bibcode", flat=True))
    assert {len(b) for b in bibcodes} == {19}
    assert not any(b.startswith("\n") or b != b.strip() for b in bibcodes)
    pease = Measurement.objects.filter(bibcode="1931...............")
    assert pease.exists()
    assert all(m.notes.startswith("Pease, F.G.: 1931") for m in pease)
    moved = [f for f in parsed.findings if "moved from BIBCODE to NOTES" in f.message]
    pseudo = Measurement.objects.filter(bibcode__regex=r"^([0-9]{4}[.]{15}|[.]{19})$")
    assert len(moved) == pseudo.count() > pease.count()


def test_the_2016_sheet_reports_its_malformed_bibcode_and_long_notes(shared_dir):
    parsed = read_catalogue_file(real_file(shared_dir, "JMDC_20160831_4401862b.csv"))
    messages = [str(f) for f in parsed.findings]
    assert any("NOTES: 220 characters cut to fit 204" in m for m in messages)
    assert "column UD_TO_LD_3D_COEFF is not a catalogue column: ignored" in parsed.notices
