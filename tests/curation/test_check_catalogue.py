"""``manage.py check_catalogue``: the prediction rule as a report over the published
catalogue, the curators' to-do list (rows and predictions invented unless said)."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command

from jmdc.importing.catalogue_file import import_catalogue
from jmdc.models import Measurement, SourceFacts, Star
from tests.builders import measurement, prediction

pytestmark = pytest.mark.django_db


def check_catalogue() -> list[str]:
    out = io.StringIO()
    call_command("check_catalogue", stdout=out)  # raises on a non-zero exit
    return out.getvalue().splitlines()


def test_it_lists_the_published_rows_far_from_their_prediction():
    prediction("HD360", ldd=0.80, e_ldd=0.02)
    far = measurement(id1="HD360", ld_diam=0.906, e_ld_diam=0.014)  # 0.106 / 0.0244: 4.3 sigma
    measurement(id1="HD360", ld_diam=0.82, e_ld_diam=0.02, bibcode="2020A&A...640A..25B")
    prediction("HD1", ldd=2.0, e_ldd=0.05, source=SourceFacts.Source.JSDC,
               as_of=datetime.date(2026, 1, 5))  # fmt: skip
    converted = measurement(id1="HD1", ud_diam=1.5, ld_diam=None, e_ld_diam=0.02, mu_lambda=1.1)
    measurement(id1="HD1", ud_diam=1.5, ld_diam=None, e_ld_diam=0.02)  # UD alone: not compared
    measurement(id1="HD2", ld_diam=9.0)  # no prediction for HD2

    assert check_catalogue() == [
        "star\tmeasurement\tbibcode\tband\tcompared (mas)\tpredicted (mas)\tsigma\tsource",
        f"HD1\t{converted.pk}\t2019Natur.567..200P\tH\tUD 1.500 -> LD 1.650 ± 0.022 "
        "(MU_LAMBDA 1.1)\t2.000 ± 0.050\t6.4\tthe JSDC (VizieR II/346), 2026-01-05",
        f"HD360\t{far.pk}\t2019Natur.567..200P\tH\tLD 0.906 ± 0.014\t0.800 ± 0.020\t4.3\t"
        "JMMC's cross-match (SearchCal), 2020-09-09",
        "2 of 5 published rows are further than 3 sigma from their star's prediction (3 could "
        "be compared: the others' star has no prediction, or the row has no LD, nor a UD with "
        "its MU_LAMBDA).",
    ]


def test_an_empty_catalogue_says_so_in_its_summary():
    assert check_catalogue() == [
        "0 of 0 published rows are further than 3 sigma from their star's prediction (0 could "
        "be compared: the others' star has no prediction, or the row has no LD, nor a UD with "
        "its MU_LAMBDA)."
    ]


def test_the_2020_catalogue_against_jmmcs_cross_match(shared_dir):
    """The real 2020 catalogue and the real LDD of JMMC's 2020 cross-match (recorded here
    directly, as the cross-match importer records them): the figure the issue asks for."""
    import_catalogue(shared_dir / "jmdc" / "JMDC_full_20200730.csv")
    stars = dict(Star.objects.values_list("name", "pk"))
    path = shared_dir / "jmdc" / "crossmatch" / "JMDC_full_20200730_crossmatch.csv"
    with path.open(newline="") as handle:
        SourceFacts.objects.bulk_create(
            SourceFacts(
                star_id=stars[line["ID1"]],
                source=SourceFacts.Source.CROSSMATCH,
                as_of=datetime.date(2020, 9, 9),
                ldd=float(line["LDD"]),
                e_ldd=float(line["E_LDD"]),
                reference=path.name,
            )
            for line in csv.DictReader(handle)
            if line["ID1"] in stars and line["LDD"] and line["E_LDD"] and float(line["LDD"]) > 0
        )
    lines = check_catalogue()
    summary = lines[-1]
    assert f" of {Measurement.objects.count()} published rows are further" in summary
    flagged = int(summary.split(" ")[0])
    assert len(lines) == flagged + 2  # the header, one line per flagged row, the summary
    assert 0 < flagged < Measurement.objects.count()
