"""manage.py import_jmdc on small invented files: one transaction, idempotent, reported."""

import pytest
from django.core.management import CommandError, call_command

from jmdc.importing import catalogue_file
from jmdc.models import ImportRun, Measurement, Star

pytestmark = pytest.mark.django_db

SHEET = (
    "ID1,ID2,UD_MEAS,LD_MEAS,E_LD_MEAS,BAND,MU_LAMBDA,METHOD,BANDCODE,NOTES,REFERENCE\n"
    "HD174694,,1.1,,0.1,K,,1,8,,2015A&A...576A..64B\n"
    "HD174694,,1.1,,0.1,K,,1,8,,2015A&A...576A..64B\n"
    "HD1,,2.0,-1,-1,,,1,,,1931............... Pease 1931\n"
)
BAD_ROW = "HD2,,oops,,0.1,K,,1,8,,2015A&A...576A..64B\n"


def run(path, *args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_jmdc", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def sheet(tmp_path):
    path = tmp_path / "JMDC_sheet.csv"
    path.write_text(SHEET)
    return path


def test_with_keep_going_it_imports_the_good_rows_and_reports_the_bad_one_with_its_line(
    tmp_path,
):
    sheet = tmp_path / "JMDC_sheet.csv"
    sheet.write_text(SHEET + BAD_ROW)
    output = run(sheet, "--keep-going")
    assert Measurement.objects.count() == 3
    assert "line 5, UD_DIAM: 'oops' is not a number (row not imported)" in output
    assert "4 rows read: 3 added, 0 already present, 1 not imported; 2 new stars" in output
    run_record = ImportRun.objects.get()
    assert (run_record.rows_added, run_record.rows_rejected) == (3, 1)
    assert "line 5" in run_record.report
    assert output.rstrip().endswith("(--keep-going: the other rows were written)")


def test_one_refused_row_makes_the_import_write_nothing_and_say_so(tmp_path):
    sheet = tmp_path / "JMDC_sheet.csv"
    sheet.write_text(SHEET + BAD_ROW)
    with pytest.raises(CommandError) as refused:
        run(sheet)
    assert str(refused.value) == (
        f"{sheet}: 1 rows refused (see above): nothing was imported. Fix them, or give "
        "--keep-going to import the other rows."
    )
    assert not Measurement.objects.exists()
    assert not Star.objects.exists()
    assert not ImportRun.objects.exists()


def test_the_report_of_a_refused_import_names_the_row_and_says_nothing_was_written(tmp_path):
    from io import StringIO

    sheet = tmp_path / "JMDC_sheet.csv"
    sheet.write_text(SHEET + BAD_ROW)
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_jmdc", str(sheet), stdout=out, stderr=StringIO())
    lines = out.getvalue().splitlines()
    assert "line 5, UD_DIAM: 'oops' is not a number (row not imported)" in lines
    assert lines[-1] == (
        "4 rows read: 0 added, 0 already present, 1 not imported; 0 new stars; 2 legacy -1 "
        "values read as empty; blanks trimmed in 0 cells (nothing written: 1 rows refused, and "
        "an import is all or nothing; fix them, or import the other rows with --keep-going)"
    )


def test_rows_without_their_trailing_empty_cells_all_import(tmp_path):
    # As some spreadsheet programs save a CSV: the empty cells at the end of a row are left
    # out. The whole file used to be refused but for the few complete rows, and committed.
    header = (
        "ID1,ID2,UD_DIAM,LD_DIAM,E_LD_DIAM,BAND,MU_LAMBDA,METHOD,BANDCODE,BIBCODE,NOTES,SINPE\n"
    )
    rows = [f"HD{n},,1.5,,0.1,K,,1,8,2019A&A...621A..44G" for n in range(20)]
    rows[3] += ",a note,True"  # a few rows are complete
    path = tmp_path / "trimmed.csv"
    path.write_text(header + "\n".join(rows) + "\n")
    output = run(path)
    assert Measurement.objects.count() == 20
    assert (
        "19 rows lacked their trailing empty cells (as some spreadsheet programs write them): "
        "read as empty"
    ) in output.splitlines()


def test_importing_the_same_file_twice_adds_nothing_the_second_time(sheet):
    run(sheet)
    output = run(sheet)
    assert Measurement.objects.count() == 3
    assert Star.objects.count() == 2
    assert "0 added, 3 already present" in output


def test_a_longer_file_adds_only_the_rows_not_yet_there_keeping_repeated_rows(sheet, tmp_path):
    run(sheet)
    bigger = tmp_path / "bigger.csv"
    bigger.write_text(SHEET + "HD174694,,1.1,,0.1,K,,1,8,,2015A&A...576A..64B\n")
    output = run(bigger)
    assert "1 added, 3 already present" in output
    assert Measurement.objects.filter(id1="HD174694").count() == 3


def test_a_dry_run_reports_everything_and_writes_nothing(sheet):
    output = run(sheet, "--dry-run")
    assert "3 added" in output and "(dry run: nothing written)" in output
    assert not Measurement.objects.exists()
    assert not Star.objects.exists()
    assert not ImportRun.objects.exists()


def test_a_failure_during_the_import_leaves_the_catalogue_as_it_was(sheet, tmp_path):
    run(sheet)
    big = tmp_path / "big.csv"
    big.write_text(
        SHEET.splitlines(keepends=True)[0]
        + "".join(f"HD{n},,1.5,,0.1,K,,1,8,,2019A&A...621A..44G\n" for n in range(1200))
    )

    def fail_after_first_batch(done, total):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        catalogue_file.import_catalogue(big, progress=fail_after_first_batch)
    assert Measurement.objects.count() == 3
    assert Star.objects.count() == 2
    assert ImportRun.objects.count() == 1


def test_a_file_with_the_wrong_columns_is_refused_and_nothing_is_imported(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("STAR,DIAMETER\nHD1,2\n")
    with pytest.raises(
        CommandError, match=r"unknown column\(s\) STAR, DIAMETER.*Nothing was imported"
    ):
        run(path)
    assert not Measurement.objects.exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "nope.csv")


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_file_at_the_same_time_add_its_rows_once(tmp_path):
    import threading

    from django.db import connection

    path = tmp_path / "same.csv"
    path.write_text(
        SHEET.splitlines(keepends=True)[0]
        + "".join(f"HD{n},,1.5,,0.1,K,,1,8,,2019A&A...621A..44G\n" for n in range(800))
    )
    barrier = threading.Barrier(2)
    errors = []

    def importer():
        try:
            barrier.wait()
            catalogue_file.import_catalogue(path)
        except Exception as exc:  # reported below, so a failure in a thread fails the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=importer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Measurement.objects.count() == 800
    assert sorted(ImportRun.objects.values_list("rows_added", flat=True)) == [0, 800]


def test_an_imported_row_starts_its_history_with_the_file_it_came_from(sheet):
    run(sheet)
    first = Measurement.objects.order_by("pk").first()
    record = first.history.get()
    assert (record.history_type, record.history_change_reason) == (
        "+",
        "imported from JMDC_sheet.csv",
    )


@pytest.mark.parametrize(
    ("bibcode", "refusal"),
    [
        (
            "2013MNRAS.433.1262\u2026",
            "19 characters (21 as VizieR writes them in ASCII), the column holds 19",
        ),
        # ½ is a compatibility form of digits: refused as such before its width is measured.
        (
            "2013MNRAS.433.126\u00bd",
            "U+00BD VULGAR FRACTION ONE HALF at position 18 (type '1\u20442')",
        ),
    ],
)
def test_a_bibcode_longer_as_vizier_writes_it_is_refused_and_the_export_keeps_working(
    tmp_path, client, bibcode, refusal
):
    sheet = tmp_path / "JMDC_sheet.csv"
    sheet.write_text(
        "ID1,ID2,UD_MEAS,LD_MEAS,E_LD_MEAS,BAND,MU_LAMBDA,METHOD,BANDCODE,NOTES,REFERENCE\n"
        f"HD174694,,1.1,,0.1,K,,1,8,,{bibcode}\n"
        "HD1,,2.0,,,K,,1,8,,2015A&A...576A..64B\n"
    )
    output = run(sheet, "--keep-going")
    assert f"line 2, BIBCODE: {refusal}" in output
    assert "1 not imported" in output
    assert list(Measurement.objects.values_list("bibcode", flat=True)) == ["2015A&A...576A..64B"]
    response = client.get("/export.dat")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode("ascii").splitlines()
    assert len(lines) == 1 and lines[0].endswith("2015A&A...576A..64B  ")
