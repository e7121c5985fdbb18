"""manage.py import_crossmatch: a cross-match table becomes what that source says of each star,
dated; a bad row makes it import nothing and say which row and why."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jmdc.models import SourceFacts, Star

pytestmark = pytest.mark.django_db

HEADER = (
    "ID1,SIMBAD,RAJ2000,DEJ2000,HD,HIP,_2MASS,GAIA,SPTYPE,OBJTYPES,V,J,H,K,TEFF,LDD,E_LDD,"
    "DIAM_VK,E_DIAM_VK,CALFLAG\n"
)
# Invented rows in the layout of JMMC's 2020 file (not the real values of these stars).
HD1 = 'HD1,HD1,10.5,-20.25,1,11,00420000-2015000,123456789,K0III,",*,V*,IR,",5.1,3.2,2.9,2.8,4800,1.5,0.1,1.6,0.2,0\n'
HD2 = 'HD2,HD2,20.5,30.5,2,,,,G2V,",*,",6.0,,,,,,,,,1\n'


def run(path, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_crossmatch", str(path), "--as-of", "2020-09-09", *args,
                 stdout=out, stderr=err)  # fmt: skip
    return out.getvalue(), err.getvalue()


@pytest.fixture
def stars():
    return [Star.objects.create(name="HD1"), Star.objects.create(name="HD2")]


def table(tmp_path, *rows, header=HEADER):
    path = tmp_path / "crossmatch.csv"
    path.write_text(header + "".join(rows))
    return path


def test_each_row_becomes_the_cross_match_word_on_its_star_dated_and_referenced(tmp_path, stars):
    out, _ = run(table(tmp_path, HD1, HD2), "--reference", "SearchCal commit 8f755a1")
    assert "2 rows read: cross-match facts for 2 stars of the catalogue." in out
    facts = SourceFacts.objects.get(star__name="HD1")
    assert facts.source == "crossmatch" and facts.as_of == datetime.date(2020, 9, 9)
    assert facts.reference == "crossmatch.csv; SearchCal commit 8f755a1"
    assert (facts.ra, facts.dec, facts.hd, facts.hip) == (10.5, -20.25, "HD 1", "HIP 11")
    assert (facts.two_mass, facts.gaia) == ("2MASS J00420000-2015000", "123456789")
    assert (facts.sp_type, facts.object_types) == ("K0III", "*,V*,IR")
    assert (facts.v_mag, facts.j_mag, facts.h_mag, facts.k_mag) == (5.1, 3.2, 2.9, 2.8)
    assert (facts.teff, facts.ldd, facts.e_ldd, facts.cal_flag) == (4800, 1.5, 0.1, 0)
    # The star's own fields are SIMBAD's: the cross-match writes none of them.
    star = Star.objects.get(name="HD1")
    assert (star.status, star.ra, star.sp_type, star.hd) == ("pending", None, "", "")
    empty = SourceFacts.objects.get(star__name="HD2")
    assert (empty.hip, empty.j_mag, empty.ldd, empty.cal_flag) == ("", None, None, 1)


def test_importing_again_replaces_the_cross_match_facts_and_keeps_other_sources(tmp_path, stars):
    SourceFacts.objects.create(star=stars[0], source="simbad", as_of=datetime.date(2026, 1, 1),
                               sp_type="K1III")  # fmt: skip
    run(table(tmp_path, HD1, HD2))
    run(table(tmp_path, HD1.replace("K0III", "K0.5III"), HD2))
    assert SourceFacts.objects.filter(source="crossmatch").count() == 2
    assert SourceFacts.objects.get(star__name="HD1", source="crossmatch").sp_type == "K0.5III"
    assert SourceFacts.objects.get(star__name="HD1", source="simbad").sp_type == "K1III"


def test_a_name_not_in_the_catalogue_is_reported_and_the_other_rows_imported(tmp_path, stars):
    out, _ = run(table(tmp_path, HD1, HD2.replace("HD2,HD2", "HD999,HD999")))
    assert "1 name not in the catalogue, skipped: HD999" in out
    assert "2 rows read: cross-match facts for 1 star of the catalogue." in out
    assert list(SourceFacts.objects.values_list("star__name", flat=True)) == ["HD1"]


@pytest.mark.parametrize(
    "row, said",
    [
        (HD2.replace("HD2,HD2", ",HD2"), "line 3, column ID1: no name: every row names the star it describes"),
        (HD2.replace("20.5,30.5", "360.5,30.5"), "line 3, column RAJ2000: 360.5 is out of range: RA is in degrees, 0 to 360"),
        (HD2.replace("20.5,30.5", "20.5,-91"), "line 3, column DEJ2000: -91 is out of range: Dec is in degrees, -90 to +90"),
        (HD2.replace("6.0", "bright"), "line 3, column V: 'bright' is not a number; leave the cell empty when the value is unknown"),
        (HD1.replace("1.5,0.1,1.6", "1.5,n/a,1.6"), "line 3, column E_LDD: 'n/a' is not a number; leave the cell empty when the value is unknown"),
        (HD1.replace("1.5,0.1,1.6", "-1.5,0.1,1.6"), "line 3, column LDD: -1.5: a predicted diameter is positive"),
        (HD2.replace(",,1\n", ",,9\n"), "line 3, column CALFLAG: 9 is not a CalFlag: a bit field from 0 to 7"),
        (HD2.replace(",2,,", ",2" + "0" * 5000 + ",,"), "line 3, column HD: 5001 characters, at most 32"),
        (HD2.replace("HD2,HD2", "HD" + "2" * 5000 + ",HD2"), "line 3, column ID1: 5002 characters, at most 100"),
    ],
)  # fmt: skip
def test_a_bad_row_makes_it_import_nothing_and_say_which_row_and_why(tmp_path, stars, row, said):
    path = table(tmp_path, HD1, row)
    with pytest.raises(CommandError) as refused:
        run(path)
    assert str(refused.value) == (
        f"{path}: 1 row problem (see above): nothing was imported. Fix them and import the "
        "file again."
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_crossmatch", str(path), "--as-of", "2020-09-09", stdout=out, stderr=err
        )
    assert said in err.getvalue()
    assert not SourceFacts.objects.exists()


def test_unknown_and_missing_columns_are_named_and_nothing_is_imported(tmp_path, stars):
    header = HEADER.replace("TEFF", "TEMPERATURE").replace(",CALFLAG", "")
    path = table(tmp_path, header=header)
    with pytest.raises(CommandError) as refused:
        run(path)
    assert str(refused.value).startswith(
        f"{path}: unknown column TEMPERATURE and missing columns TEFF, CALFLAG: a cross-match "
        "table has the columns ID1, SIMBAD, RAJ2000"
    )
    assert str(refused.value).endswith("Nothing was imported.")
    assert not SourceFacts.objects.exists()


def test_a_column_named_twice_is_refused_rather_than_one_of_them_believed(tmp_path, stars):
    path = table(tmp_path, HD1, header=HEADER.replace("CALFLAG", "ID1"))
    with pytest.raises(CommandError) as refused:
        run(path)
    assert str(refused.value).startswith(
        f"{path}: the header names ID1 more than once: which one holds the value cannot be told"
    )
    assert not SourceFacts.objects.exists()


def test_the_date_of_the_cross_match_is_required_and_written_as_a_date(tmp_path, stars):
    path = table(tmp_path, HD1)
    with pytest.raises(CommandError, match="--as-of"):
        call_command("import_crossmatch", str(path), stdout=StringIO())
    with pytest.raises(CommandError) as refused:
        call_command("import_crossmatch", str(path), "--as-of", "9/9/2020", stdout=StringIO())
    assert str(refused.value) == "--as-of '9/9/2020': write the date as YYYY-MM-DD"
