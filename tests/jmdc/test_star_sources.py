"""What each source says of a star, as a person sees it: the star page, the API's star detail,
the admin, and the curator's review rows. The cross-match's word is labelled as the
cross-match's, with its date, never as SIMBAD's. Values are invented test data."""

import datetime

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken
from curation import services
from jmdc.models import SourceFacts, Star
from tests.builders import measurement
from tests.rows import row

pytestmark = pytest.mark.django_db

IN_2020 = datetime.date(2020, 9, 9)


def crossmatch_says(star, **facts):
    defaults = {
        "reference": "JMDC_full_20200730_crossmatch.csv",
        "as_of": IN_2020,
        "ra": 10.5,
        "dec": -20.25,
        "hd": "HD 360",
        "hip": "HIP 1",
        "two_mass": "2MASS J00420000-2015000",
        "gaia": "123456789",
        "sp_type": "M2Iab",
        "object_types": "s*r,*,IR",
        "v_mag": 5.1,
        "k_mag": 1.2,
        "ldd": 3.5,
        "e_ldd": 0.2,
    }
    return SourceFacts.objects.create(star=star, source="crossmatch", **{**defaults, **facts})


def resolved_by_simbad(star, **fields):
    values = {
        "status": "resolved",
        "main_id": "* TEST 1",
        "ra": 10.5001,
        "dec": -20.2501,
        "otype": "s*r",
        "sp_type": "M2Ia",
        "hd": "HD 360",
    }
    Star.objects.filter(pk=star.pk).update(**{**values, **fields})
    SourceFacts.objects.create(star=star, source="simbad", as_of=datetime.date(2026, 11, 30),
                               sp_type="M2Ia", object_types="s*r,*")  # fmt: skip


def test_until_simbad_answers_the_star_page_shows_the_cross_match_identity_labelled(client):
    star = measurement(id1="HD360").star
    crossmatch_says(star)
    page = client.get(f"/star/{star.pk}/").content.decode()
    assert "Until SIMBAD answers" in page
    assert (
        "According to the JMMC cross-match of the catalogue, 2020-09-09 (not a SIMBAD answer):"
        in page
    )
    assert "M2Iab" in page and "RA 10.500000°, Dec -20.250000°" in page and "HD 360" in page
    # The table of sources: who says what, and when.
    assert "What the sources say" in page
    assert "2MASS J00420000-2015000" in page and "Gaia 123456789" in page
    assert "s*r, *, IR" in page and "3.500 ± 0.200" in page


def test_once_simbad_answers_the_star_page_shows_its_identity_and_keeps_the_cross_match(client):
    star = measurement(id1="HD360").star
    crossmatch_says(star)
    resolved_by_simbad(star)
    page = client.get(f"/star/{star.pk}/").content.decode()
    assert "* TEST 1 · s*r · M2Ia" in page
    assert "Until SIMBAD answers" not in page
    # Both words stay, each dated.
    assert "2020-09-09" in page and "2026-11-30" in page and "M2Iab" in page


def test_the_api_star_detail_gives_each_source_s_facts_with_its_source_and_date(people):
    star = measurement(id1="HD360").star
    crossmatch_says(star)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(people.astronomer, 't')[1]}")
    body = client.get(f"/api/v1/stars/{star.pk}/").json()
    (said,) = body["sources"]
    assert (said["source"], said["source_name"], said["as_of"]) == (
        "crossmatch", "JMMC cross-match of the catalogue", "2020-09-09",
    )  # fmt: skip
    assert (said["sp_type"], said["hd"], said["ra"], said["ldd"]) == ("M2Iab", "HD 360", 10.5, 3.5)
    # The star's own fields are SIMBAD's, still unanswered.
    assert (body["simbad_status"], body["ra"], body["sp_type"]) == ("pending", None, "")


def test_the_facts_of_a_star_known_only_from_an_embargoed_row_stay_hidden(people):
    secret = measurement(id1="HD360", group=people.group,
                         embargo_until=datetime.date.today() + datetime.timedelta(days=30))  # fmt: skip
    crossmatch_says(secret.star)
    assert not SourceFacts.objects.visible_to(people.outsider).exists()
    assert SourceFacts.objects.visible_to(people.astronomer).count() == 1
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(people.outsider, 't')[1]}")
    assert client.get(f"/api/v1/stars/{secret.star_id}/").status_code == 404


def test_the_star_page_shows_a_star_s_facts_exactly_to_whom_the_rule_of_facts_shows_them(
    client, people
):
    """The star page reads the facts of the star it found visible; what it shows must be what
    SourceFacts.visible_to gives each person: nothing (the page not found) to the outsider for
    a star known only from an embargoed row, the facts to the group's members and curators."""
    secret = measurement(id1="HD360", group=people.group,
                         embargo_until=datetime.date.today() + datetime.timedelta(days=30))  # fmt: skip
    crossmatch_says(secret.star, two_mass="2MASS J00420000-2015000")
    for name, user in people.all().items():
        client.logout()
        if user is not None:
            client.force_login(user)
        answer = client.get(f"/star/{secret.star_id}/")
        ruled = SourceFacts.objects.visible_to(user).filter(star=secret.star).exists()
        assert answer.status_code == (200 if ruled else 404), name
        assert ("2MASS J00420000-2015000" in answer.content.decode()) == ruled, name


def test_the_admin_shows_a_star_s_sources_read_only(client):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw"))
    star = measurement(id1="HD360").star
    crossmatch_says(star)
    page = client.get(f"/admin/jmdc/star/{star.pk}/change/").content.decode()
    assert "M2Iab" in page and "2020" in page and "JMDC_full_20200730_crossmatch.csv" in page
    assert 'name="source_facts-0-sp_type"' not in page  # shown, not an input


def test_the_curator_sees_each_row_s_spectral_and_object_type_with_whose_word(client, people):
    supergiant = measurement(id1="HD360").star
    crossmatch_says(supergiant)
    dwarf = measurement(id1="HD10700").star
    crossmatch_says(dwarf, sp_type="G8V", object_types="PM*,*,IR", hd="HD 10700")
    resolved_by_simbad(dwarf, sp_type="G8.5V", otype="PM*", main_id="* TEST 2", hd="HD 10700")
    submission = services.create_submission(
        actor=people.astronomer, rows=[row(2, ID1="HD360"), row(3, ID1="HD10700"),
                                       row(4, ID1="HD999999")], title="two stars",
    )  # fmt: skip
    services.submit(submission, actor=people.astronomer)
    client.force_login(people.curator)
    page = client.get(f"/submissions/{submission.pk}/").content.decode()
    assert '<th scope="col">Spectral type</th><th scope="col">Object type</th>' in page
    assert (
        '<td>M2Iab</td><td>s*r, *, IR<div class="help">JMMC cross-match of the catalogue, 2020-09-09, not SIMBAD</div></td>'
        in page
    )
    assert '<td>G8.5V</td><td>PM*<div class="help">SIMBAD</div></td>' in page
    assert '<td></td><td><span class="help">not known yet</span></td>' in page
