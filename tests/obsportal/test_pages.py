"""The exposure search page, its VOTable download, and the exposures on a star's page.

Exposures here are INVENTED (tests/obsportal/builders.py), in the shape of real ones.
"""

import html
import io
import re

import pytest
from astropy.io.votable import parse
from django.test import Client

from jmdc.models import Star, StarAlias
from obsportal.models import Exposure
from tests.builders import measurement
from tests.obsportal.builders import exposure

pytestmark = [
    pytest.mark.django_db,
    # The clients' UCDs and OiDB's exact v1.4 namespace (see test_services.py).
    pytest.mark.filterwarnings("ignore::astropy.io.votable.exceptions.W06"),
    pytest.mark.filterwarnings("ignore::astropy.io.votable.exceptions.W41"),
]


def found(query: dict) -> list[str]:
    """The exposure ids of the search page's table, in page order."""
    response = Client().get("/search", query)
    assert response.status_code == 200
    return re.findall(r'href="/detail/exposure/([^"]+)"', response.content.decode())


@pytest.fixture
def night():
    # 58849.0 is 2020-01-01 00:00 UT.
    exposure("PIONI.A_1", 83.63, 22.01, target_name="HD_37202", mjd_start=58849.10,
             mjd_end=58849.101, program="0104.C-0567(A)")  # fmt: skip
    exposure("GRAVI.B_1", 83.63 + 10 / 3600, 22.01, target_name="HD 37202", mjd_start=58850.2,
             mjd_end=58850.201, instrument="GRAVITY", mode="HIGH-COMBINED", category="calibrator",
             program="0104.C-0567(B)")  # fmt: skip
    exposure("MATIS.C_1", 250.0, -30.0, target_name="alf Sco", mjd_start=58851.3,
             mjd_end=58851.301, instrument="MATISSE", program="105.20AB.001")  # fmt: skip


def test_every_exposure_newest_first_without_criteria(night):
    assert found({}) == ["MATIS.C_1", "GRAVI.B_1", "PIONI.A_1"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"target": "HD 37202"}, {"PIONI.A_1", "GRAVI.B_1"}),  # HD_37202 and HD 37202 alike
        ({"target": "hd37202"}, {"PIONI.A_1", "GRAVI.B_1"}),
        ({"target": "alf"}, {"MATIS.C_1"}),
        ({"instrument": "GRAVITY"}, {"GRAVI.B_1"}),
        ({"category": "calibrator"}, {"GRAVI.B_1"}),
        ({"program_id": "0104.C-0567"}, {"PIONI.A_1", "GRAVI.B_1"}),
        ({"program_id": "0104.C-0567(B)"}, {"GRAVI.B_1"}),
        ({"date_from": "2020-01-02"}, {"GRAVI.B_1", "MATIS.C_1"}),
        ({"date_to": "2020-01-02"}, {"PIONI.A_1", "GRAVI.B_1"}),  # the whole day included
        ({"date_from": "2020-01-02", "date_to": "2020-01-02"}, {"GRAVI.B_1"}),
        ({"ra": "83.63", "dec": "22.01", "radius": "5"}, {"PIONI.A_1"}),
        ({"ra": "83.63", "dec": "22.01"}, {"PIONI.A_1", "GRAVI.B_1"}),  # 30" by default
        ({"ra": "05 34 31.2", "dec": "+22 00 36"}, {"PIONI.A_1", "GRAVI.B_1"}),  # sexagesimal
        ({"ra": "5:34:31.2", "dec": "22:00:36", "instrument": "PIONIER"}, {"PIONI.A_1"}),
    ],
)
def test_search_criteria(night, query, expected):
    assert set(found(query)) == expected


@pytest.mark.parametrize(
    "query, field",
    [
        ({"ra": "north", "dec": "10"}, "ra"),
        ({"ra": "10"}, "dec"),
        ({"ra": "10", "dec": "-91"}, "dec"),
        ({"ra": "10", "dec": "1", "radius": "-3"}, "radius"),
        ({"date_from": "2020-13-45"}, "date_from"),
    ],
)
def test_a_bad_criterion_is_named_and_nothing_is_listed(night, query, field):
    page = Client().get("/search", query).content.decode()
    assert "The search was not run" in page
    assert re.search(rf'id="id_{field}"[^>]*aria-invalid="true"', page) or re.search(
        rf'name="{field}"[^>]*aria-invalid="true"', page
    )
    assert "/detail/exposure/" not in page


def test_hostile_text_is_shown_escaped(night):
    page = Client().get("/search", {"target": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_votable_download_answers_the_same_selection(night):
    page = Client().get("/search", {"program_id": "0104.C-0567"}).content.decode()
    link = re.search(r'href="(/search\.votable\?[^"]+)"', page).group(1).replace("&amp;", "&")
    response = Client().get(link)
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    table = parse(io.BytesIO(content), verify="warn").get_first_table()
    assert sorted(table.array["exp_id"]) == ["GRAVI.B_1", "PIONI.A_1"]
    assert "obs_program_pi_coi" in [f.name for f in table.fields]  # all fields, as OiDB reads


def test_programme_links_lead_to_oidbs_program_search(night):
    page = Client().get("/search").content.decode()
    assert 'href="/search?program_id=0104.C-0567%28A%29"' in page
    assert found({"program_id": "0104.C-0567(A)"}) == ["PIONI.A_1"]


def test_the_star_page_lists_its_exposures_and_links_to_all():
    star = measurement(id1="HD 37202").star
    exposure("PIONI.A_1", 83.63, 22.01, target_name="HD_37202", star=star)
    exposure("PIONI.B_1", 83.63, 22.01, target_name="HD_37202", star=star, mjd_start=58900.0,
             mjd_end=58900.001)  # fmt: skip
    exposure("PIONI.C_1", 10.0, 10.0, target_name="other")
    page = Client().get(star.get_absolute_url()).content.decode()
    assert "2 exposures at the interferometers" in page
    assert page.index("PIONI.B_1") < page.index("PIONI.A_1")  # newest first
    assert "PIONI.C_1" not in page
    assert f'href="/search?star={star.pk}"' in page
    assert set(found({"star": star.pk})) == {"PIONI.A_1", "PIONI.B_1"}


def test_a_star_known_only_from_exposures_has_a_page():
    star = Star.objects.create(name="HD 1", main_id="HD 1", status=Star.Status.RESOLVED)
    exposure("PIONI.A_1", 1.0, 1.0, target_name="HD_1", star=star)
    lonely = Star.objects.create(name="HD 2")  # neither measured nor observed
    assert Client().get(star.get_absolute_url()).status_code == 200
    assert Client().get(lonely.get_absolute_url()).status_code == 404
    detail = Client().get("/detail/exposure/PIONI.A_1").content.decode()
    assert f'href="{star.get_absolute_url()}"' in detail


def test_a_star_found_by_its_simbad_identifier_or_alias():
    star = Star.objects.create(name="alf Sco", main_id="* alf Sco", status=Star.Status.RESOLVED)
    StarAlias.objects.create(name="Antares", star=star)
    exposure("MATIS.A_1", 247.35, -26.43, target_name="ANTARES_SCI", star=star)
    exposure("MATIS.B_1", 247.35, -26.43, target_name="alpha_sco")  # not identified yet
    assert found({"target": "Antares"}) == ["MATIS.A_1"]
    assert found({"target": "* alf Sco"}) == ["MATIS.A_1"]


def test_search_votable_reads_the_page_criteria_too(night):
    response = Client().get("/search.votable", {"target": "HD 37202", "category": "science"})
    content = b"".join(response.streaming_content)
    rows = parse(io.BytesIO(content), verify="warn").get_first_table().array
    assert list(rows["exp_id"]) == ["PIONI.A_1"]


@pytest.mark.parametrize(("per_page", "rows"), [("-1", 10), ("1000000000", 500), ("20", 20)])
def test_the_search_holds_rows_per_page_between_10_and_500(per_page, rows):
    from django.utils import timezone

    from obsportal.models import Exposure

    Exposure.objects.bulk_create(
        Exposure(exp_id=f"TEST.{n}_1", header_id=f"TEST.{n}", mjd_start=58849.0 + n / 1000,
                 mjd_end=58850.0, category="science", instrument="PIONIER", stations="A0 B2",
                 target_name="TEST TARGET", baselines={}, date_updated=timezone.now())
        for n in range(520)
    )  # fmt: skip
    assert len(found({"per_page": per_page})) == rows


@pytest.mark.parametrize("field", ["target", "program_id", "ra", "date_updated_from"])
def test_a_search_text_of_60000_characters_is_a_form_error_not_a_500(night, field):
    response = Client().get("/search", {field: "1" * 60000})
    assert response.status_code == 200
    assert response.context["filter"].form.errors[field] == [
        "Give at most 200 characters (this text has 60000)."
    ]
    votable = Client().get("/search.votable", {field: "1" * 201})
    assert votable.status_code == 400
    assert (
        votable.content.decode() == f"{field}: Give at most 200 characters (this text has 201).\n"
    )


def test_an_exposure_page_names_its_targets_identification_as_the_star_pages_do():
    exposure("PIONI.Q_1", 10.0, 20.0, target_name="HD_1")
    page = Client().get("/detail/exposure/PIONI.Q_1").content.decode()
    assert "queued: SIMBAD will be asked at the next identification of targets" in page
    Exposure.objects.filter(exp_id="PIONI.Q_1").update(
        target_status="not_found", target_note="SIMBAD knows no object named 'HD 1'."
    )
    page = html.unescape(Client().get("/detail/exposure/PIONI.Q_1").content.decode())
    assert "not found in SIMBAD, or ambiguous: SIMBAD knows no object named 'HD 1'." in page


def test_every_text_cell_of_the_exposure_table_is_shown_as_text():
    """The rows are written by one format string, not django_tables2's templates: each text
    is escaped there, and the links keep their addresses."""
    exposure(
        "PIONI.2020-01-01T00:00:00.000_1", 10.0, -20.0, target_name="<i>T</i>",
        program="0104.D-0001(A)&<b>", mode="<u>M</u>", stations="A0 <s>",
    )  # fmt: skip
    page = Client().get("/search").content.decode()
    assert "<i>T" not in page and "<b>" not in page and "<u>M" not in page and "<s>" not in page
    assert "&lt;i&gt;T&lt;/i&gt;" in page and "0104.D-0001(A)&amp;&lt;b&gt;" in page
    assert 'href="/detail/exposure/PIONI.2020-01-01T00:00:00.000_1"' in page
    assert 'href="/search?program_id=0104.D-0001%28A%29%26%3Cb%3E"' in page


def test_a_search_matching_more_than_the_count_limit_says_more_than_and_pages_through_that_many(
    settings,
):
    # The page counts no further than EXPOSURE_SEARCH_COUNT_MAX (10,000 on the portal).
    settings.EXPOSURE_SEARCH_COUNT_MAX = 25
    many_exposures("MANY", 40)
    text = html.unescape(re.sub(r"\s+", " ", Client().get("/search").content.decode()))
    assert (
        "More than 25 exposures found: the table shows the first 25; narrow the search to see "
        "the others here, or download them all as a VOTable." in text
    )
    assert "40 exposures found" not in text
    # Three pages of 10, 10 and 5 rows; a page beyond them shows the last.
    assert len(found({"per_page": "10", "page": "3"})) == 5
    assert found({"per_page": "10", "page": "4"}) == found({"per_page": "10", "page": "3"})


def test_a_search_within_the_count_limit_says_its_exact_count(settings):
    settings.EXPOSURE_SEARCH_COUNT_MAX = 25
    many_exposures("FEW", 25)
    text = Client().get("/search").content.decode()
    assert "25 exposures found." in text
    assert "More than" not in text


def many_exposures(prefix: str, count: int) -> None:
    """``count`` INVENTED exposures of one target, a minute and a half apart."""
    from django.utils import timezone

    Exposure.objects.bulk_create(
        Exposure(exp_id=f"{prefix}.{n}_1", header_id=f"{prefix}.{n}", mjd_start=58849.0 + n / 1000,
                 mjd_end=58850.0, category="science", instrument="PIONIER", stations="A0 B2",
                 target_name=prefix, baselines={}, date_updated=timezone.now())
        for n in range(count)
    )  # fmt: skip


def test_the_count_and_its_limit_are_those_of_the_selection_not_of_the_table(settings):
    settings.EXPOSURE_SEARCH_COUNT_MAX = 25
    many_exposures("MANY", 40)
    many_exposures("FEW", 7)
    text = Client().get("/search", {"target": "FEW"}).content.decode()
    assert "7 exposures found." in text and "More than" not in text
    assert len(found({"target": "FEW", "per_page": "10"})) == 7
