"""jmdc.dat in the II/345 byte layout and our CDS ReadMe, read back with astropy's CDS reader
through the REAL published ReadMe and through ours, and compared with the published layout."""

import datetime
import re

import pytest
from astropy.table import Table

from jmdc.formats.vizier import (
    LRECL,
    ReadmeRelease,
    VizierLayoutError,
    format_record,
    iter_jmdc_dat,
    write_readme,
)
from jmdc.importing.catalogue_file import import_catalogue
from jmdc.models import CATALOGUE_COLUMNS, Measurement
from tests.builders import measurement

pytestmark = pytest.mark.django_db
LABELS = [
    "ID1",
    "ID2",
    "UDdiam",
    "LDdiam",
    "e_LDdiam",
    "Band",
    "mu-lambda",
    "Method",
    "BandCode",
    "Notes",
    "BibCode",
    "SINPE",
]


def test_a_record_puts_each_value_at_the_bytes_of_the_readme():
    line = format_record(
        ("HD360", "", None, 0.906, 0.014, "H", None, 1, 7, "a note", "2019Natur.567..200P", True)
    )
    assert len(line) == LRECL
    assert line[0:28].rstrip() == "HD360"  # bytes 1-28
    assert line[58:67] == "        -"  # 59-67 F9.5, null
    assert line[68:75] == " 0.9060"  # 69-75 F7.4
    assert line[76:84] == "  0.0140"  # 77-84 F8.4
    assert line[85:95].rstrip() == "H"  # 86-95
    assert line[104] == "1" and line[106:108] == " 7"  # 105, 107-108
    assert line[109:313].rstrip() == "a note"  # 110-313
    assert line[314:333] == "2019Natur.567..200P" and line[334] == "1"  # 315-333, 335


def test_a_value_that_does_not_fit_its_format_is_an_error_naming_the_row():
    measurement(id1="HD1", ld_diam=1.0, bibcode="2020A&A...000A...1X")
    measurement(id1="HD2", ld_diam=123.4)  # F7.4 holds at most 99.9999
    with pytest.raises(VizierLayoutError, match=r"row 2 \(HD2, .*123.4 does not fit LDdiam's F7.4"):
        "".join(iter_jmdc_dat(Measurement.objects.export_values()))


def readme_for(rows: int, stars: int = 1) -> str:
    this = ReadmeRelease("2026.1", datetime.date(2026, 11, 23), rows)
    earlier = ReadmeRelease("2025.1", datetime.date(2025, 2, 3), rows - 1)
    return write_readme(this, stars=stars, history=[earlier, this])


def layout(readme: str) -> list[tuple]:
    """(first byte, last byte, format, unit, label, null marker) of each column described."""
    section = readme.split("Byte-by-byte Description of file: jmdc.dat")[1]
    columns = []
    for line in section.split("-" * 80)[2].splitlines():
        found = re.match(r"^\s*(\d+)?-?\s*(\d+)\s+([AFI][\d.]+)\s+(\S+)\s+(\S+)\s+(.*)$", line)
        if found:
            first, last, fmt, unit, label, text = found.groups()
            null = re.match(r"^(\[\S*\])?(\?(=\S*)?)?", text).group(0)
            columns.append((int(first or last), int(last), fmt, unit, label, null))
    return columns


def test_our_readme_describes_the_published_byte_layout(shared_dir):
    published = layout((shared_dir / "jmdc/readme/ReadMe-JMDC-II_345.txt").read_text())
    ours = layout(readme_for(1766))
    assert [c[:5] for c in ours] == [c[:5] for c in published]
    # The one deliberate difference: 70 legacy rows have no METHOD, so it is nullable.
    differences = [(p[4], p[5], o[5]) for p, o in zip(published, ours, strict=True) if p != o]
    assert differences == [("Method", "[1/3]", "[1/3]?")]


def test_the_readme_is_80_column_ascii_and_counts_the_records():
    text = readme_for(1766, stars=613)
    assert text.isascii()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert re.search(r"^jmdc\.dat\s+335\s+1766\s", text, re.M)
    assert "1766 measurements of 613 stars" in text
    history = text.split("History:")[1]
    assert "03-Feb-2025: release 2025.1 with 1765" in history
    assert "23-Nov-2026: release 2026.1 with 1766" in history


def read_back(dat_path, readme: str, tmp_path) -> Table:
    readme_path = tmp_path / "ReadMe"
    readme_path.write_text(readme, encoding="ascii")
    return Table.read(dat_path, readme=str(readme_path), format="ascii.cds")


def test_a_blank_method_reads_back_as_null_through_our_readme(tmp_path):
    measurement(method=None, bandcode=None, sinpe=True)
    dat = tmp_path / "jmdc.dat"
    dat.write_text("".join(iter_jmdc_dat(Measurement.objects.export_values())), encoding="ascii")
    table = read_back(dat, readme_for(1), tmp_path)
    assert table["Method"].mask[0] and table["BandCode"].mask[0]
    assert table["SINPE"][0] == 1 and table["LDdiam"][0] == pytest.approx(0.906)


@pytest.mark.parametrize("readme_source", ["published", "ours"])
def test_the_2020_catalogue_reads_back_through_the_readme(shared_dir, tmp_path, readme_source):
    import_catalogue(shared_dir / "jmdc" / "JMDC_full_20200730.csv")
    dat = tmp_path / "jmdc.dat"
    dat.write_text("".join(iter_jmdc_dat(Measurement.objects.export_values())), encoding="ascii")
    assert {len(line) for line in dat.read_text().splitlines()} == {LRECL}
    if readme_source == "published":
        readme = shared_dir / "jmdc" / "readme" / "ReadMe-JMDC-II_345.txt"
        table = Table.read(dat, readme=str(readme), format="ascii.cds")
    else:
        table = read_back(dat, readme_for(1766), tmp_path)
    expected = list(
        Measurement.objects.in_export_order().values_list(*[a for _, a in CATALOGUE_COLUMNS])
    )
    assert len(table) == len(expected) == 1766
    for row, values in zip(table, expected, strict=True):
        got = [
            None
            if getattr(row[label], "mask", False) is True or str(row[label]) == "--"
            else row[label]
            for label in LABELS
        ]
        ud, ld, e_ld, mu = values[2], values[3], values[4], values[6]
        assert got[0] == values[0] and (got[1] or "") == values[1]
        for read, stored in zip((got[2], got[3], got[4], got[6]), (ud, ld, e_ld, mu), strict=True):
            assert (read is None and stored is None) or read == pytest.approx(stored, abs=1e-4)
        assert (got[7], got[8]) == (values[7], values[8])
        assert (got[9] or "") == values[9].encode("ascii", "replace").decode() and got[
            10
        ] == values[10]
        assert bool(got[11]) == values[11]
