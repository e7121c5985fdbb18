"""Canonical designations: the spellings of one star found in papers and in the catalogue's
own files are one star offline, and different stars (another number, another component, another
Gaia release) never become one."""

from collections import defaultdict

import pytest

from lib.designations import Designation, canonical, group, key, match_key
from tests.parts import missing_part

# (as typed, the canonical designation)
SPELLINGS = [
    # the cases
    ("ALF LYR", "* alf Lyr"),
    ("alpha Lyr", "* alf Lyr"),
    ("alf01 Cen", "* alf01 Cen"),
    ("KAPPA SER", "* kap Ser"),
    ("V* R Leo", "V* R Leo"),
    ("R Leo", "V* R Leo"),
    ("HD 12345 AB", "HD 12345 AB"),
    # blanks, case and zero padding
    ("HD 10700", "HD 10700"),
    ("HD10700", "HD 10700"),
    ("hd  10700", "HD 10700"),
    ("HD 010700", "HD 10700"),
    (" HD\t10700 ", "HD 10700"),
    ("HDE 226868", "HD 226868"),
    ("HR603", "HR 603"),
    ("BS 603", "HR 603"),
    ("HIP 054035", "HIP 54035"),
    ("SAO 076532", "SAO 76532"),
    # Durchmusterungen: the zone's sign and two digits
    ("BD+43 44", "BD+43 44"),
    ("BD +43 044", "BD+43 44"),
    ("BD+5 168", "BD+05 168"),
    ("BD-214897", "BD-21 4897"),
    ("BD+57150A", "BD+57 150 A"),
    ("CD-38 245", "CD-38 245"),
    ("CoD-38 245", "CD-38 245"),
    ("CPD-60 944", "CPD-60 944"),
    ("DM+13 1994", "BD+13 1994"),
    ("IRC +20 064", "IRC +20064"),
    ("IRC+20064", "IRC +20064"),
    # Gliese: GJ, Gl and NN are one numbering, with fractions
    ("GJ 412.1", "GJ 412.1"),
    ("Gl 412.1", "GJ 412.1"),
    ("GJ65A", "GJ 65 A"),
    ("GJ 65 A", "GJ 65 A"),
    ("NN 3622", "GJ 3622"),
    ("Gliese 876", "GJ 876"),
    # position-based and survey names
    ("2MASS J17454004-2900225", "2MASS J17454004-2900225"),
    ("2mass j174540.04-290022.5", "2MASS J17454004-2900225"),
    ("TYC 1234-5678-1", "TYC 1234-5678-1"),
    ("tyc 01234-05678-1", "TYC 1234-5678-1"),
    ("Gaia DR2 146483849656094464", "Gaia DR2 146483849656094464"),
    ("GAIA DR3 146483849656094464", "Gaia DR3 146483849656094464"),
    ("WDS J05407-0157Aa,Ab", "WDS J05407-0157 Aa,Ab"),
    ("WDSJ05167+4600Aa,Ab", "WDS J05167+4600 Aa,Ab"),
    ("CCDM J16294-2626 AB", "CCDM J16294-2626 AB"),
    ("CCDM J16294-2626AB", "CCDM J16294-2626 AB"),
    # Bayer names: SIMBAD's three letters, two-digit superscripts, IAU constellations
    ("alf1 Cen", "* alf01 Cen"),
    ("* alf01 Cen A", "* alf01 Cen A"),
    ("alpha Cen A", "* alf Cen A"),
    ("Alp Cen B", "* alf Cen B"),
    ("* alf Lyr", "* alf Lyr"),
    ("V* alf Ori", "* alf Ori"),
    ("alpha Lyrae", "* alf Lyr"),
    ("alpha Canis Majoris A", "* alf CMa A"),
    ("τ Ceti", "* tau Cet"),
    ("α Psa", "* alf PsA"),
    ("κ Crb", "* kap CrB"),
    ("κ-1 Cet", "* kap01 Cet"),
    ("χ -1 Ori", "* chi01 Ori"),
    ("DEL 01 TAU", "* del01 Tau"),
    ("* del01Tau", "* del01 Tau"),
    ("THE 1 TAU", "* tet01 Tau"),
    ("KHI CYG", "* chi Cyg"),
    ("KSI CYG", "* ksi Cyg"),
    ("XI 2 SGR", "* ksi02 Sgr"),
    ("37 XI 2 SGR", "* ksi02 Sgr"),
    ("mu Cep", "* mu. Cep"),
    ("Mu Cas A", "* mu. Cas A"),
    ("pi1 Gru", "* pi.01 Gru"),
    ("PI LEO", "* pi. Leo"),
    ("ALF CMA", "* alf CMa"),
    ("l Car", "* l Car"),
    # Flamsteed numbers
    ("61 Cyg", "* 61 Cyg"),
    ("61Cyg A", "* 61 Cyg A"),
    ("061 CYG B", "* 61 Cyg B"),
    # variable stars
    ("V1339 Cyg", "V* V1339 Cyg"),
    ("V 1334 Cyg", "V* V1334 Cyg"),
    ("V0822 Cas", "V* V822 Cas"),
    ("RS CNC", "V* RS Cnc"),
    ("V* MU Cep", "V* MU Cep"),
]


@pytest.mark.parametrize(("typed", "expected"), SPELLINGS)
def test_a_name_gets_its_canonical_designation(typed, expected):
    assert key(typed) == expected


# Names that look alike and are different objects: never one key.
DIFFERENT = [
    ("HD 12345 AB", "HD 12345"),  # the pair is not the system as a whole
    ("HD 12345 A", "HD 12345 B"),
    ("HD 12345 AB", "HD 12345 Ab"),  # the pair A+B is not the secondary of A
    ("GJ 65 A", "GJ 65 B"),
    ("GJ 412", "GJ 412.1"),
    ("HD 10700", "HIP 10700"),
    ("HIP 95024", "HIC 95024"),
    ("Gaia DR2 146483849656094464", "Gaia DR3 146483849656094464"),
    ("BD+13 44", "BD-13 44"),
    ("BD-22 245", "CD-22 245"),  # zone -22 is in both Durchmusterungen
    ("alf Cen", "alf Cen A"),
    ("alf01 Cen", "alf02 Cen"),
    ("alf01 Cen", "alf Cen"),
    ("R Leo", "r Leo"),  # the variable R Leo, and Bayer's Latin r
    ("l Car", "L Car"),
    ("WDS J05407-0157Aa", "WDS J05407-0157Ab"),
    ("61 Cyg A", "61 Cyg B"),
]


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_different_objects_keep_different_designations(one, other):
    assert key(one) is not None and key(other) is not None
    assert key(one) != key(other)


# Kept as typed and left to SIMBAD: proper names, unknown catalogues, two possible readings,
# impossible numbers, look-alike letters.
UNRECOGNISED = [
    "Vega",
    "Proxima Centauri",
    "Eri",  # a constellation, no star
    "MU CEP",  # mu Cep or the variable MU Cep: SIMBAD decides
    "NU Pav",
    "N U Pav",
    "TETHA 1 TAU",
    "HD 209458 b",  # a planet, not a star's component
    "HD 12.5",  # only Gliese numbers have fractions
    "HD 0",
    "BD-30 123",  # the Bonner Durchmusterung stops at -23
    "DM-30 123",  # CD or CPD: not known without SIMBAD
    "V12 Cyg",  # V1 to V334 are written as letters (R to QZ)
    "JJ Cyg",  # GCVS names never use J
    "НD 360",  # a Cyrillic EN, not the Latin H
    "ＨＤ 360",  # fullwidth letters
    "Gaia DR3 123 A",
    "",
    "   ",
]


@pytest.mark.parametrize("typed", UNRECOGNISED)
def test_a_name_without_a_certain_form_is_left_to_simbad(typed):
    assert canonical(typed) is None
    assert key(typed) is None


def test_the_component_is_kept_apart_from_the_number():
    assert canonical("HD 12345 AB") == Designation("HD", "12345", "AB")
    assert canonical("WDS J05407-0157Aa,Ab") == Designation("WDS", "J05407-0157", "Aa,Ab")
    assert canonical("alf Cen A") == Designation("*", "alf Cen", "A")


def test_a_name_without_a_designation_is_matched_as_typed_with_its_blanks_squeezed():
    assert match_key("  Vega ") == "Vega"
    assert match_key("hd 10700") == "HD 10700"


def test_group_gathers_spellings_and_lists_the_rest():
    grouping = group(["HD 10700", "HD10700", "hd  010700", "HD 10700 B", "Vega", "tau Ceti"])
    assert grouping.groups == {
        "* tau Cet": ["tau Ceti"],
        "HD 10700": ["HD 10700", "HD10700", "hd  010700"],
        "HD 10700 B": ["HD 10700 B"],
    }
    assert grouping.merged == {"HD 10700": ["HD 10700", "HD10700", "hd  010700"]}
    assert grouping.unrecognised == ["Vega"]


# --- The 14 real catalogue files ----------------------------------------------------------------

# What the files write that has no certain catalogue form (checked by hand): proper names, the
# Galactic-centre source, MU/NU (Greek letter or variable?), two typing errors (O2 for 02,
# TETHA), and "Eri" alone.
UNRECOGNISED_IN_FILES = {
    "Alcor", "Altair", "Betelgeuse", "CG IRS 7", "Chow", "DEL O2 LYR", "Eri", "GC IRS 7",
    "MU CEP", "MU CET", "MU GEM", "MU PEG", "MU PSC", "Megrez", "N U Pav", "NU LIB", "NU Pav",
    "NU VIR", "Phecda", "Proxima Centauri", "Regulus", "TETHA 1 TAU", "Vega",
}  # fmt: skip


@pytest.fixture(scope="module")
def real_files(shared_dir):
    from ops.designations_report import catalogue_files

    files = catalogue_files(shared_dir)
    missing = [path.name for path in files if not path.is_file()]
    if missing or len(files) != 14:
        missing_part(f"the 14 real catalogue files are not all in {shared_dir}/jmdc: {missing}")
    return files


@pytest.fixture(scope="module")
def rows(real_files):
    from jmdc.importing.catalogue_file import read_catalogue_file

    return {(row.id1, row.id2) for path in real_files for _, row in read_catalogue_file(path).rows}


def test_every_name_of_the_files_gets_a_designation_or_is_listed_as_unrecognised(rows):
    names = {name for pair in rows for name in pair if name}
    grouping = group(names)
    assert set(grouping.unrecognised) == UNRECOGNISED_IN_FILES
    assert sum(len(v) for v in grouping.groups.values()) + len(grouping.unrecognised) == len(names)
    # every ID1 (a star of the catalogue) has a designation
    assert all(key(id1) for id1, _ in rows)


def test_the_files_own_spellings_of_one_star_are_grouped(rows):
    grouping = group(name for pair in rows for name in pair if name)
    expected = {
        "HD 10700": {"HD 10700", "HD10700"},
        "* alf Lyr": {"ALF LYR", "alf Lyr"},
        "* del01 Tau": {"* del01 Tau", "* del01Tau", "DEL 01 TAU", "DEL 1 TAU"},
        "* chi01 Ori": {"* chi01 Ori", "CHI 1 ORI", "chi01 Ori", "χ -1 Ori"},
        "* ksi02 Sgr": {"* ksi02 Sgr", "37 XI 2 SGR", "XI 2 SGR", "ksi02 Sgr"},
        "* alf Cen A": {"Alf Cen A", "Alp Cen A", "alf Cen A", "alpha Cen A"},
        "BD+13 1994": {"BD +13 1994", "BD+13 1994", "DM+13 1994"},
        "IRC -20445": {"IRC -20 445", "IRC -20445", "IRC-20445"},
        "GJ 876": {"GJ 876", "GJ876"},
        "V* R Leo": {"R LEO", "R Leo"},
        "* 61 Cyg A": {"61 Cyg A", "61Cyg A"},
    }
    for designation, spellings in expected.items():
        assert set(grouping.groups[designation]) == spellings, designation


def test_components_in_the_files_stay_apart(rows):
    grouping = group(name for pair in rows for name in pair if name)
    assert grouping.groups["HD 165341 A"] == ["HD165341A"]
    assert grouping.groups["HD 165341 B"] == ["HD165341B"]
    assert grouping.groups["* alf Cen A"] != grouping.groups["* alf Cen B"]
    assert "CCDM J16294-2626 A" in grouping.groups and "CCDM J16294-2626 AB" in grouping.groups


def test_no_group_joins_spellings_the_files_pair_with_different_hd_numbers(rows):
    """A row's ID1 and ID2 name one star: a designation whose spellings are paired with two
    different HD numbers would have merged two stars."""
    hd_numbers: dict[str, set[str]] = defaultdict(set)
    for id1, id2 in rows:
        for name, other in ((id1, id2), (id2, id1)):
            found = canonical(other)
            if found is not None and found.catalogue == "HD":
                hd_numbers[name].add(found.number)  # HD 165341 and HD 165341 A: one system
    merged = group(name for pair in rows for name in pair if name).merged
    assert len(merged) > 150
    paired = {
        designation: set().union(*(hd_numbers[name] for name in names))
        for designation, names in merged.items()
    }
    # The spreadsheets of 2016-2019 paired HD95608 (b Leo) with BET LEO; the 2020 export has
    # "* b Leo". No other merged spellings disagree.
    assert {k: v for k, v in paired.items() if len(v) > 1} == {"* bet Leo": {"95608", "102647"}}


def test_names_sharing_a_designation_have_one_position_in_jmmc_cross_match(shared_dir):
    import csv

    path = shared_dir / "jmdc" / "crossmatch" / "JMDC_full_20200730_crossmatch.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        stars = {row["ID1"]: row for row in csv.DictReader(handle)}
    grouping = group(stars)
    assert grouping.merged == {"GJ 876": ["GJ 876", "GJ876"]}
    for names in grouping.merged.values():
        positions = {(stars[n]["RAJ2000"], stars[n]["DEJ2000"], stars[n]["HD"]) for n in names}
        assert len(positions) == 1


def test_the_report_gives_the_figures_of_the_2020_catalogue(real_files, capsys):
    from ops.designations_report import main

    main([str(real_files[0])])
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == [
        "== the files given",
        "ID1 (the stars): 925 distinct names, 924 distinct stars offline (924 canonical "
        "designations, 0 names kept as typed)",
        "ID1 and ID2: 1732 distinct names, 1649 canonical designations (1721 names), 11 names "
        "without a known form",
    ]
    assert "  GJ 876: GJ 876 | GJ876" in out
    assert "  Vega" in out


def test_a_name_longer_than_any_star_name_is_no_designation_and_never_an_error():
    """A number of 5000 digits made int() raise (Python's limit on digits)."""
    assert key("HD " + "1" * 5000) is None
    assert key("HD " + "1" * 90) is not None


def test_gaia_edr3_names_the_dr3_source():
    """EDR3's source list is DR3's: the same source_id, one star."""
    assert key("Gaia EDR3 4472832130942575872") == key("Gaia DR3 4472832130942575872")
    assert key("Gaia DR2 4472832130942575872") != key("Gaia DR3 4472832130942575872")
