"""``manage.py check_catalogue``: the prediction rule as a report over the published
catalogue, the curators' to-do list (rows and predictions invented unless said)."""

import datetime
import io

import pytest
from django.core.management import call_command

from jmdc.importing.catalogue_file import import_catalogue
from jmdc.models import Measurement, SourceFacts
from tests.builders import measurement, prediction

pytestmark = pytest.mark.django_db


def check_catalogue() -> list[str]:
    out = io.StringIO()
    call_command("check_catalogue", stdout=out)  # raises on a non-zero exit
    return out.getvalue().splitlines()


def test_it_lists_the_published_rows_far_from_their_prediction():
    prediction("HD360", ldd=0.80, e_ldd=0.02, cal_flag=6)  # a close double, a variable
    far = measurement(id1="HD360", ld_diam=0.906, e_ld_diam=0.014)  # 0.106 / 0.0244: 4.3 sigma
    measurement(id1="HD360", ld_diam=0.82, e_ld_diam=0.02, bibcode="2020A&A...640A..25B")
    prediction("HD1", ldd=2.0, e_ldd=0.05, source=SourceFacts.Source.JSDC,
               as_of=datetime.date(2026, 1, 5))  # fmt: skip
    converted = measurement(id1="HD1", ud_diam=1.5, ld_diam=None, e_ld_diam=0.02, mu_lambda=1.1)
    measurement(id1="HD1", ud_diam=1.5, ld_diam=None, e_ld_diam=0.02)  # UD alone: not compared
    measurement(id1="HD2", ld_diam=9.0)  # no prediction for HD2

    assert check_catalogue() == [
        "star\tmeasurement\tbibcode\tband\tcompared (mas)\tpredicted (mas)\tsigma\tsource"
        "\tJMMC's caution",
        f"HD1\t{converted.pk}\t2019Natur.567..200P\tH\tUD 1.500 -> LD 1.650 ± 0.022 "
        "(MU_LAMBDA 1.1)\t2.000 ± 0.050\t6.4\tthe JSDC (VizieR II/346), 2026-01-05\t-",
        f"HD360\t{far.pk}\t2019Natur.567..200P\tH\tLD 0.906 ± 0.014\t0.800 ± 0.020\t4.3\t"
        "JMMC's cross-match (SearchCal), 2020-09-09\tit is a close double in the WDS (under 1 "
        "arcsec); SIMBAD types it as variable or binary (pulsating, Mira, Cepheid, SB...)",
        "2 of 5 published rows are further than 3 sigma from their star's prediction (3 could "
        "be compared: the others' star has no prediction, or the row has no LD, nor a UD with "
        "its MU_LAMBDA).",
        "1 of the 2 are of stars whose prediction JMMC flags (a poor fit, a close double, a "
        "variable or binary star): look at the others first.",
    ]


def test_an_empty_catalogue_says_so_in_its_summary():
    assert check_catalogue() == [
        "0 of 0 published rows are further than 3 sigma from their star's prediction (0 could "
        "be compared: the others' star has no prediction, or the row has no LD, nor a UD with "
        "its MU_LAMBDA)."
    ]


def test_the_2020_catalogue_against_jmmcs_cross_match(shared_dir):
    """The real 2020 catalogue and JMMC's real 2020 cross-match, through the importers: the
    figure the issue asks for, and how many of the far rows JMMC's own flags explain."""
    import_catalogue(shared_dir / "jmdc" / "JMDC_full_20200730.csv")
    call_command(
        "import_crossmatch",
        str(shared_dir / "jmdc" / "crossmatch" / "JMDC_full_20200730_crossmatch.csv"),
        "--as-of",
        "2020-09-09",
        stdout=io.StringIO(),
    )
    lines = check_catalogue()
    summary, cautioned = lines[-2], lines[-1]
    assert f" of {Measurement.objects.count()} published rows are further" in summary
    far = int(summary.split(" ")[0])
    assert len(lines) == far + 3  # the header, one line per far row, the two summaries
    assert 0 < far < Measurement.objects.count()
    flagged = int(cautioned.split(" ")[0])
    assert cautioned.startswith(f"{flagged} of the {far} are of stars whose prediction JMMC flags")
    assert 0 < flagged < far
    assert sum("JMMC flags" not in line and line.endswith("\t-") for line in lines) == far - flagged
