"""jmdc.dat in the II/345 byte layout, read back with astropy's CDS reader and the REAL ReadMe."""

import pytest
from astropy.table import Table

from jmdc.legacy_import import import_catalogue
from jmdc.models import CATALOGUE_COLUMNS, Measurement
from jmdc.vizier_export import LRECL, VizierLayoutError, format_record, iter_jmdc_dat
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


def test_a_value_that_does_not_fit_its_format_is_an_error_naming_the_measurement():
    row = measurement(ld_diam=123.4)  # F7.4 holds at most 99.9999
    with pytest.raises(VizierLayoutError, match=f"measurement {row.pk} .*does not fit F7.4"):
        "".join(iter_jmdc_dat(Measurement.objects.all()))


def test_the_2020_catalogue_reads_back_through_the_published_readme(shared_dir, tmp_path):
    import_catalogue(shared_dir / "jmdc" / "JMDC_full_20200730.csv")
    dat = tmp_path / "jmdc.dat"
    dat.write_text("".join(iter_jmdc_dat(Measurement.objects.all())), encoding="ascii")
    assert {len(line) for line in dat.read_text().splitlines()} == {LRECL}
    table = Table.read(
        dat,
        readme=str(shared_dir / "jmdc" / "readme" / "ReadMe-JMDC-II_345.txt"),
        format="ascii.cds",
    )
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
