"""The column table is the one description of the 12 JMDC columns: every output that names the
columns says what the table says, read back from what the user downloads or sees."""

import csv
import datetime
import io
import re
import subprocess
import sys

import astropy.io.votable
import pytest
from openpyxl import load_workbook

from curation.forms import RowFields
from jmdc.columns import COLUMNS, Kind
from jmdc.formats.vizier import LRECL, ReadmeRelease, format_record, write_readme
from jmdc.models import Measurement
from jmdc.serializers import CatalogueRowSerializer
from jmdc.tables import MeasurementTable
from tests.builders import measurement

NAMES = [column.name for column in COLUMNS]


def test_the_table_imports_without_django():
    code = "import sys, jmdc.columns; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.mark.django_db
def test_every_votable_field_says_what_the_table_says(client):
    measurement()
    data = b"".join(client.get("/export.vot").streaming_content)
    fields = astropy.io.votable.parse(io.BytesIO(data)).get_first_table().fields
    assert [f.name for f in fields] == NAMES
    for field, column in zip(fields, COLUMNS, strict=True):
        assert (field.unit or "", field.ucd, str(field.description)) == (
            str(column.unit),
            column.ucd,
            column.description,
        ), column.name


def byte_by_byte(readme: str) -> list[tuple[int, int, str, str, str]]:
    """(first byte, last byte, format, unit, label) of each column the ReadMe describes."""
    section = readme.split("Byte-by-byte Description of file: jmdc.dat")[1].split("-" * 80)[2]
    rows = []
    for line in section.splitlines():
        found = re.match(r"^\s*(?:(\d+)-\s*)?(\d+)\s+([AFI][\d.]+)\s+(\S+)\s+(\S+)", line)
        if found:
            first, last, fmt, unit, label = found.groups()
            rows.append((int(first or last), int(last), fmt, unit, label))
    return rows


def test_the_readme_byte_ranges_follow_the_table_and_add_up_to_a_jmdc_dat_line():
    this = ReadmeRelease("2026.1", datetime.date(2026, 11, 23), 1)
    readme = write_readme(this, stars=1, history=[this])
    described = byte_by_byte(readme)
    assert [(fmt, unit, label) for _, _, fmt, unit, label in described] == [
        (c.vizier_format, c.unit or "---", c.vizier_label) for c in COLUMNS
    ]
    next_byte = 1
    for (first, last, *_), column in zip(described, COLUMNS, strict=True):
        assert (first, last - first + 1) == (next_byte, column.width), column.name
        next_byte = last + 2  # one blank between columns
    assert described[-1][1] == LRECL
    assert re.search(rf"^jmdc\.dat\s+{LRECL}\s", readme, re.M)
    line = format_record(
        ("HD360", "", None, 0.906, None, "H", None, 1, 7, "", "2019Natur.567..200P", True)
    )
    assert len(line) == LRECL


def test_each_column_s_note_is_numbered_in_the_readme_explanation_and_printed_below():
    this = ReadmeRelease("2026.1", datetime.date(2026, 11, 23), 1)
    readme = write_readme(this, stars=1, history=[this])
    noted = [column for column in COLUMNS if column.vizier_note]
    for number, column in enumerate(noted, start=1):
        assert re.search(rf"\({column.name}\)\s+\({number}\)", readme), column.name
        first_words = " ".join(column.vizier_note.split()[:4])
        assert f"Note ({number}): {first_words}" in " ".join(readme.split())


@pytest.mark.django_db
def test_the_csv_and_excel_headers_and_the_excel_units_sheet_are_the_table_s(client):
    measurement()
    csv_body = b"".join(client.get("/export_csv").streaming_content).decode()
    assert next(csv.reader(io.StringIO(csv_body))) == NAMES
    workbook = load_workbook(io.BytesIO(client.get("/export.xlsx").content))
    assert [c.value for c in workbook["jmdc"][1]] == NAMES
    about = [tuple(c.value or "" for c in row) for row in workbook["columns"].iter_rows(min_row=2)]
    assert about == [(c.name, c.unit, c.description) for c in COLUMNS]


def test_the_api_serializer_describes_each_column_as_the_table_does():
    fields = CatalogueRowSerializer().fields
    assert list(fields) == [column.field for column in COLUMNS]
    for column in COLUMNS:
        assert fields[column.field].help_text == column.help_text
        assert fields[column.field].allow_null == (column.kind in (Kind.REAL, Kind.CODE))


def test_the_submission_form_and_its_templates_name_and_label_the_columns_as_the_table(client):
    form = RowFields()
    assert [(name, field.label) for name, field in form.fields.items()] == [
        (c.name, c.label) for c in COLUMNS
    ]
    assert [name for name, field in form.fields.items() if field.required] == [
        c.name for c in COLUMNS if c.required
    ]


@pytest.mark.django_db
def test_the_submission_templates_carry_the_table_s_names_and_guidance(client):
    from tests.personas import verified_user

    client.force_login(verified_user("astro"))
    csv_template = client.get("/submissions/template.csv").content.decode()
    assert csv_template == ",".join(NAMES) + "\n"
    workbook = load_workbook(io.BytesIO(client.get("/submissions/template.xlsx").content))
    assert [c.value for c in workbook["measurements"][1]] == NAMES
    about = [tuple(c.value for c in row) for row in workbook["columns"].iter_rows(min_row=2)]
    assert about == [(c.name, c.guidance) for c in COLUMNS]


@pytest.mark.django_db
def test_the_catalogue_table_heads_each_column_with_the_table_s_header():
    table = MeasurementTable(Measurement.objects.none())
    assert [(c.name, str(c.header)) for c in table.columns] == [
        (c.field, c.header) for c in COLUMNS
    ]


def test_the_model_stores_each_column_within_the_vizier_width():
    """The model's fields are migration state, written as literals: they must agree."""
    for column in COLUMNS:
        field = Measurement._meta.get_field(column.field)
        if column.kind is Kind.TEXT:
            assert field.max_length == column.width, column.name
        assert field.null == (column.kind in (Kind.REAL, Kind.CODE)), column.name
