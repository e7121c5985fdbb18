"""Issue #16, as the user met it with SIMBAD unreachable (the suite's default): an accepted row
for ``HD 10700`` became a second star beside the catalogue's ``HD10700``, and filtering
``HD10700`` found 3 rows where ``HD 10700`` found 4. Values invented; the names are real."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from rest_framework.test import APIClient

from curation import services
from jmdc.identification import resolve_stars
from jmdc.models import Measurement, SourceFacts, Star, StarAlias
from standins.simbad import StandInObject
from tests.builders import measurement
from tests.obsportal.builders import exposure
from tests.pages import page_of, text_of
from tests.rows import row

pytestmark = pytest.mark.django_db

SPELLINGS = ["HD10700", "HD 10700", "hd  10700", "HD 010700"]
ARCTURUS = StandInObject(
    "* alf Boo",
    213.9153,
    19.1824,
    "RG*",
    "K1.5III",
    ("* alf Boo", "NAME Arcturus", "HD 124897", "HIP 69673"),
)  # fmt: skip (test data)


@pytest.fixture
def catalogue():
    """The catalogue's three rows of tau Cet under HD10700, and one of another star."""
    for ld in (2.015, 2.078, 2.08):
        measurement(id1="HD10700", ld_diam=ld, bibcode="2006A&A...460..855D")
    measurement(id1="HD360")


def accept(people, id1: str, **cells) -> Measurement:
    """A row submitted by the astronomer under ``id1`` and accepted by the curator, through
    the services the pages and the API call."""
    draft = services.create_submission(
        actor=people.astronomer, rows=[row(ID1=id1, **cells)], title=f"{id1} again"
    )
    services.submit(draft, actor=people.astronomer)
    services.start_review(draft, actor=people.curator)
    services.accept(draft, actor=people.curator, acknowledge_warnings=True)
    return Measurement.objects.get(id1=id1)


def stars_linked_from_the_table(client) -> set[str]:
    page = page_of(client.get("/", {"per_page": 100}))
    # The star links of the first cells (issue 17 put each row's own page beside them).
    return {link.get("href") for link in page.xpath("//table//td[1]/a[not(@class='row-link')]")}


def rows_found(client, query: str) -> set[str]:
    page = page_of(client.get("/", {"identifier": query, "per_page": 100}))
    return {text_of(cell) for cell in page.xpath("//table//tbody//td[1]")}


def test_an_accepted_hd_10700_is_the_catalogues_hd10700_star_without_simbad(
    client, people, catalogue
):
    accepted = accept(people, "HD 10700")
    tau_cet = Star.objects.get(name="HD10700")
    assert accepted.star == tau_cet
    assert tau_cet.designation == "HD 10700"
    assert Star.objects.count() == 2  # HD10700 and HD360: no second tau Cet
    assert stars_linked_from_the_table(client) == {
        tau_cet.get_absolute_url(),
        Star.objects.get(name="HD360").get_absolute_url(),
    }


@pytest.mark.parametrize("query", SPELLINGS)
def test_every_spelling_finds_the_four_rows_of_the_star_in_the_table(
    client, people, catalogue, query
):
    accept(people, "HD 10700")
    page = page_of(client.get("/", {"identifier": query}))
    cells = [text_of(td) for td in page.xpath("//table//tbody//tr/td[1]")]
    assert sorted(cells) == ["HD 10700", "HD10700", "HD10700", "HD10700"]


@pytest.mark.parametrize("query", SPELLINGS)
def test_every_spelling_finds_the_four_rows_through_the_api(people, catalogue, query):
    accept(people, "HD 10700")
    answer = APIClient().get("/api/v1/measurements/", {"identifier": query})
    assert answer.status_code == 200, answer.content
    rows = answer.json()["results"]
    assert sorted(r["id1"] for r in rows) == ["HD 10700", "HD10700", "HD10700", "HD10700"]
    assert {r["star"] for r in rows} == {Star.objects.get(name="HD10700").pk}


def test_the_api_lists_one_star_with_its_designation(people, catalogue):
    accept(people, "hd  10700")
    stars = APIClient().get("/api/v1/stars/").json()["results"]
    assert [(s["name"], s["designation"]) for s in stars] == [
        ("HD10700", "HD 10700"),
        ("HD360", "HD 360"),
    ]


def test_id2_is_found_whatever_its_blanks(client, catalogue):
    measurement(id1="GJ 71", id2="HD 10700 (tau Cet)", ld_diam=2.1, bibcode="2009A&A...505..205D")
    assert "GJ 71" in rows_found(client, "hd10700")


def test_a_component_is_another_star_and_is_found_apart(client, people):
    measurement(id1="HD 98800")
    measurement(id1="HD 98800 B", ld_diam=0.5)
    accept(people, "HD98800B")
    whole, b = Star.objects.get(name="HD 98800"), Star.objects.get(name="HD 98800 B")
    assert whole != b
    assert (whole.designation, b.designation) == ("HD 98800", "HD 98800 B")
    assert Measurement.objects.get(id1="HD98800B").star == b
    assert rows_found(client, "HD 98800 B") == {"HD 98800 B", "HD98800B"}


def test_a_proper_name_is_matched_as_typed_and_left_to_simbad(people, catalogue):
    accepted = accept(people, "Vega")
    assert (accepted.star.name, accepted.star.designation) == ("Vega", "")
    assert accept(people, "alf Lyr").star != accepted.star  # only SIMBAD can join these


def test_a_name_merged_by_simbad_finds_its_star_by_designation():
    measurement(id1="Vega")
    vega = Star.objects.get(name="Vega")
    StarAlias.objects.create(name="alf Lyr", star=vega)  # as SIMBAD's merge leaves it
    assert Star.objects.for_names(["ALF LYR", "alpha Lyrae"]) == {
        "ALF LYR": vega,
        "alpha Lyrae": vega,
    }


BEFORE = [("jmdc", "0014_source_facts")]


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_merges_the_stars_of_one_designation_keeping_each_rows_history(client):
    call_command("migrate", "jmdc", "0014", verbosity=0)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    OldStar, OldMeasurement = old.get_model("jmdc", "Star"), old.get_model("jmdc", "Measurement")
    rows = {"bibcode": "2006A&A...460..855D", "ld_diam": 2.0}
    stars = {}
    for name in ("HD10700", "HD 10700", "hd  10700", "HD 12345", "HD 12345 AB"):
        stars[name] = OldStar.objects.create(name=name)
        OldMeasurement.objects.create(star=stars[name], id1=name, **rows)
    OldMeasurement.objects.create(star=stars["HD10700"], id1="HD10700", **rows)

    call_command("migrate", verbosity=0)

    tau_cet = Star.objects.get(designation="HD 10700")
    assert tau_cet.pk == stars["HD10700"].pk  # the oldest stays
    assert sorted(Star.objects.values_list("name", flat=True)) == [
        "HD 12345", "HD 12345 AB", "HD10700",
    ]  # fmt: skip
    assert set(tau_cet.aliases.values_list("name", "designation")) == {
        ("HD 10700", "HD 10700"),
        ("hd  10700", "HD 10700"),
    }
    assert tau_cet.measurements.count() == 4
    for moved in Measurement.objects.filter(id1__in=["HD 10700", "hd  10700"]):
        (record,) = moved.history.all()
        assert record.star_id == tau_cet.pk
        assert record.history_change_reason == (
            f"moved to star HD10700: same designation (HD 10700) as {moved.id1}"
        )
    assert rows_found(client, "HD 10700") == {"HD10700", "HD 10700", "hd 10700"}  # as shown


def test_simbad_still_joins_what_only_it_can_and_each_sources_word_survives_the_merge(simbad):
    """Arcturus has no catalogue form: SIMBAD merges it with alf Boo. Both stars had the
    cross-match's word; the merge keeps the older star's, instead of failing on the rule of
    one word per star and source."""
    simbad.add(ARCTURUS)
    for name in ("alf Boo", "Arcturus"):
        measurement(id1=name, ud_diam=20.0, ld_diam=None)
        SourceFacts.objects.create(
            star=Star.objects.get(name=name),
            source="crossmatch",
            as_of="2020-07-30",
            reference=name,
        )
    assert resolve_stars(Star.objects.values_list("pk", flat=True)).merged == 1
    (star,) = Star.objects.all()
    crossmatch = star.source_facts.filter(source="crossmatch")
    assert list(crossmatch.values_list("reference", flat=True)) == ["alf Boo"]
    assert Star.objects.for_names(["ALPHA BOOTIS", "Arcturus"]) == {
        "ALPHA BOOTIS": star,
        "Arcturus": star,
    }


def test_the_exposures_of_a_star_merged_by_simbad_follow_it(simbad):
    """Merging moved only measurements and aliases: an exposure of the merged star lost its
    star (SET_NULL), and its star page no longer listed it."""
    simbad.add(ARCTURUS)
    for name in ("alf Boo", "Arcturus"):
        measurement(id1=name, ud_diam=20.0, ld_diam=None)
    observed = exposure("PIONI.2020-01-01T00:00:00.000_1", 213.9, 19.2)
    observed.star = Star.objects.get(name="Arcturus")
    observed.save()
    assert resolve_stars(Star.objects.values_list("pk", flat=True)).merged == 1
    (star,) = Star.objects.all()
    observed.refresh_from_db()
    assert observed.star == star
