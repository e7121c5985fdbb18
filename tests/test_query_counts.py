"""Every list page and API list runs a bounded number of queries, whatever its number of rows.

Each test fills the list with a few rows, loads it under a bound, fills it to many more rows and
loads it under the same bound: a query per row (a count, a related object, a changelog read
for each release) would pass the first load and fail the second. The bounds are what the page
needs today plus a little room, so a new constant query is not a failure but a new per-row one is.
"""

import datetime

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken
from curation import services
from jmdc.models import Release, Star
from jmdc.releases import build, freeze
from obsportal.models import HarvestRun
from tests.builders import measurement
from tests.obsportal.builders import exposure
from tests.rows import row

pytestmark = pytest.mark.django_db

FEW, MANY = 2, 20
# What each list needs today (SQLite and PostgreSQL alike), plus two.
BOUND = {
    "review": 8, "submissions": 9, "catalogue": 10, "star": 12, "search": 10,
    "releases": 8, "harvests": 10, "unresolved": 10, "api_submissions": 8,
    "api_measurements": 8, "api_stars": 8, "api_exposures": 6, "api_releases": 5,
    "review_rows": 14, "review_rows_with_oifits": 14, "statistics": 14,
}  # fmt: skip


def page_client(client, user):
    if user is not None:
        client.force_login(user)
    return client


def api_client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        key = ApiToken.issue(user, "query counts")[1]
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def loads_within(bound, django_assert_max_num_queries, client, url, grow, **params):
    """Load ``url`` with FEW rows, then with MANY, each within ``bound`` queries."""
    grow(FEW)
    with django_assert_max_num_queries(bound):
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    grow(MANY)
    with django_assert_max_num_queries(bound) as many:
        response = client.get(url, params)
    assert response.status_code == 200
    response.queries = [query["sql"] for query in many.captured_queries]
    return response


def reads_no_changelog(queries: list[str]) -> bool:
    return not [sql for sql in queries if "changelog" in sql]


# ---------------------------------------------------------------- builders that grow a list


def growing(make):
    """``grow(n)``: make rows until there are ``n`` (each call adds what is missing)."""
    made = []

    def grow(n: int) -> None:
        while len(made) < n:
            made.append(make(len(made)))

    return grow


def submissions(people, *, submitted: bool, reviewed_by=None):
    """Submissions of the astronomer shared with their group; submitted, and in review by
    ``reviewed_by`` (a curator, for whom accepting is then open), when asked."""

    def make(i):
        draft = services.create_submission(
            actor=people.astronomer, rows=[row(2), row(3, ID1=f"HD{1000 + i}")],
            group=people.group, title=f"diameters {i}",
        )  # fmt: skip
        if submitted:
            services.submit(draft, actor=people.astronomer)
        if reviewed_by is not None:
            services.start_review(draft, actor=reviewed_by)
        return draft

    return growing(make)


def measurements(**fields):
    return growing(lambda i: measurement(id1=f"HD{1000 + i}", bibcode=f"20{i:02d}A&A...485..561L",
                                         **fields))  # fmt: skip


def exposures(**fields):
    return growing(lambda i: exposure(f"PIONI.2020-01-{1 + i:02d}T03:34:07.546_1", 10.0 + i, -5.0,
                                      **fields))  # fmt: skip


def releases():
    """Releases cut one after the other, each built (files and changelog) against the last."""

    def make(i):
        measurement(id1=f"HD{1000 + i}", bibcode=f"20{i:02d}A&A...485..561L")
        rows = [(None, values) for values in _public_rows()]
        release = freeze(rows, version=f"2026.{i + 1}", date=datetime.date(2026, 1, 1 + i))
        build(release.pk)
        return release

    return growing(make)


def _public_rows():
    from jmdc.models import Measurement

    return list(Measurement.objects.public().export_values())


def harvests():
    return growing(
        lambda i: HarvestRun.objects.create(
            status=HarvestRun.Status.DONE, since_modified=f"2020-01-{1 + i:02d}",
            reached_modified=f"2020-01-{2 + i:02d}", done=3, total=3, skipped_log=["a file"],
        )
    )  # fmt: skip


# ---------------------------------------------------------------- the pages


def test_the_review_queue(client, people, django_assert_max_num_queries):
    page = page_client(client, people.curator)
    grow = submissions(people, submitted=True)
    response = loads_within(BOUND["review"], django_assert_max_num_queries, page, "/review/", grow)
    assert "diameters 19" in response.content.decode()


@pytest.mark.parametrize("who", ["astronomer", "colleague"])
def test_my_submissions(client, people, who, django_assert_max_num_queries):
    page = page_client(client, getattr(people, who))
    grow = submissions(people, submitted=False)
    response = loads_within(
        BOUND["submissions"], django_assert_max_num_queries, page, "/submissions/", grow
    )
    assert "diameters 19" in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "astronomer", "curator"])
def test_the_catalogue_page(client, people, who, django_assert_max_num_queries):
    page = page_client(client, people.all()[who])
    grow = measurements()
    response = loads_within(BOUND["catalogue"], django_assert_max_num_queries, page, "/", grow)
    assert "HD1019" in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "astronomer"])
def test_the_statistics_page(client, people, who, django_assert_max_num_queries):
    """Measurements, stars with their cross-match facts and predictions, and releases: the
    catalogue as a whole in the same queries whatever its size."""
    from jmdc.models import SourceFacts

    def make(i):
        row = measurement(id1=f"HD{1000 + i}", bibcode=f"20{i:02d}A&A...485..561L",
                          bandcode=1 + i % 12, method=1 + i % 3)  # fmt: skip
        SourceFacts.objects.create(
            star=row.star, source="crossmatch", as_of=datetime.date(2020, 9, 9),
            ra=i * 10.0, dec=-5.0, v_mag=5.0, k_mag=2.0, ldd=1.0, e_ldd=0.1,
        )  # fmt: skip
        Release.objects.create(version=f"v{i}", date=datetime.date(2020, 1, 1 + i),
                               status=Release.Status.READY, row_count=i, star_count=i)  # fmt: skip
        return row

    page = page_client(client, people.all()[who])
    response = loads_within(
        BOUND["statistics"], django_assert_max_num_queries, page, "/statistics", growing(make)
    )
    assert response.context["measurement_count"] == MANY


def test_the_star_page(client, people, django_assert_max_num_queries):
    star = Star.objects.create(name="HD360")

    def make(i):
        measurement(id1="HD360", bibcode=f"20{i:02d}A&A...485..561L")
        return exposure(f"PIONI.2020-01-{1 + i:02d}T03:34:07.546_1", 2.0, -8.0, star=star)

    page = page_client(client, people.astronomer)
    response = loads_within(
        BOUND["star"], django_assert_max_num_queries, page, f"/star/{star.pk}/", growing(make)
    )
    assert "2019A&amp;A...485..561L" in response.content.decode()


def test_the_review_rows_with_their_stars_types(client, people, django_assert_max_num_queries):
    """Each row shows its star's spectral and object type: one lookup for all rows."""
    from jmdc.models import SourceFacts

    submission = services.create_submission(actor=people.astronomer, rows=[row(2)], title="t")

    def make(i):
        star = measurement(id1=f"HD{1000 + i}").star
        SourceFacts.objects.create(star=star, source="crossmatch", as_of=datetime.date(2020, 9, 9),
                                   sp_type=f"K{i % 10}III", object_types="*")  # fmt: skip
        rows = [row(2 + n, ID1=f"HD{1000 + n}") for n in range(i + 1)]
        services.replace_rows(submission, actor=people.astronomer, rows=rows)

    page = page_client(client, people.astronomer)
    response = loads_within(
        BOUND["review_rows"], django_assert_max_num_queries, page,
        f"/submissions/{submission.pk}/", growing(make),
    )  # fmt: skip
    assert "<td>K9III</td>" in response.content.decode()


def test_the_review_rows_with_their_oifits_files(client, people, django_assert_max_num_queries):
    """Each row's OIFITS files, fit and charts under it: the files in one query, the points of
    the charted rows in another, whatever the number of rows (the charts stop at a bound)."""
    from curation.models import OifitsFile
    from curation.oifits.findings import fits_as_json
    from curation.oifits.fit import DiscFit, Fits
    from curation.oifits_pages import REVIEW_CHARTED_ROWS

    disc = DiscFit("uniform disc", 2.0, 0.01, 1.0, 3, 1.6, 1.8)
    limb = DiscFit("limb-darkened disc", 2.05, 0.01, 1.0, 3, 1.6, 1.8, mu=0.3, mu_is_default=True)
    fit = fits_as_json(Fits(disc, limb, ("HD1000",), ("night.fits",)))
    points = {"frequency": [10.0, 40.0, 80.0], "vis2": [0.95, 0.5, 0.1], "error": [0.02] * 3,
              "u": [10.0, 40.0, 80.0], "v": [0.0, 10.0, 20.0], "wavelength": [1.6, 1.7, 1.8]}  # fmt: skip
    submission = services.create_submission(actor=people.astronomer, rows=[row(2)], title="t")

    def make(i):
        rows = [row(2 + n, ID1=f"HD{1000 + n}") for n in range(i + 1)]
        services.replace_rows(submission, actor=people.astronomer, rows=rows)
        for made in submission.rows.all():
            OifitsFile.objects.create(
                row=made, name="night.fits", content=b"", size=1, sha256="0" * 64,
                state="fitted", fit=fit, points=points, uploaded_by=people.astronomer,
            )  # fmt: skip

    page = page_client(client, people.astronomer)
    response = loads_within(
        BOUND["review_rows_with_oifits"], django_assert_max_num_queries, page,
        f"/submissions/{submission.pk}/", growing(make),
    )  # fmt: skip
    charted = response.content.decode().count('data-chart="oifits-row-')
    assert charted == 2 * REVIEW_CHARTED_ROWS < 2 * MANY


def test_the_exposure_search(client, people, django_assert_max_num_queries):
    page = page_client(client, people.astronomer)
    response = loads_within(
        BOUND["search"], django_assert_max_num_queries, page, "/search", exposures(),
        instrument="PIONIER",
    )  # fmt: skip
    assert "PIONI.2020-01-20T03:34:07.546_1" in response.content.decode()


def test_the_release_list(client, people, django_assert_max_num_queries):
    page = page_client(client, people.manager)
    response = loads_within(
        BOUND["releases"], django_assert_max_num_queries, page, "/releases/", releases()
    )
    page = response.content.decode()
    assert "2026.20" in page
    # Each release against the one before: one row added, none removed or changed.
    assert (
        '<td class="num">1</td>\n      <td class="num">0</td>\n      <td class="num">0</td>' in page
    )
    assert reads_no_changelog(response.queries)


def test_the_harvest_list(client, people, django_assert_max_num_queries):
    page = page_client(client, people.manager)
    loads_within(BOUND["harvests"], django_assert_max_num_queries, page, "/harvests/", harvests())


def test_the_unresolved_stars(client, people, django_assert_max_num_queries):
    def make(i):
        return Star.objects.create(
            name=f"HD{1000 + i}", status=Star.Status.AMBIGUOUS, attempts=1,
            candidates=[{"main_id": f"HD {1000 + i}A", "otype": "*", "sp_type": "", "ra": None,
                         "dec": None}],
        )  # fmt: skip

    page = page_client(client, people.curator)
    response = loads_within(
        BOUND["unresolved"], django_assert_max_num_queries, page, "/review/stars/", growing(make)
    )
    assert "HD1019" in response.content.decode()


# ---------------------------------------------------------------- the API lists


@pytest.mark.parametrize(
    "who",
    ["astronomer", "colleague", "curator"],
)
def test_the_api_submissions(people, who, django_assert_max_num_queries):
    api = api_client(getattr(people, who))
    grow = submissions(people, submitted=True, reviewed_by=people.curator)
    response = loads_within(
        BOUND["api_submissions"], django_assert_max_num_queries, api, "/api/v1/submissions/", grow
    )
    assert response.json()["count"] == MANY


@pytest.mark.parametrize("who", ["anonymous", "astronomer"])
def test_the_api_measurements(people, who, django_assert_max_num_queries):
    api = api_client(people.all()[who])
    response = loads_within(
        BOUND["api_measurements"], django_assert_max_num_queries, api, "/api/v1/measurements/",
        measurements(),
    )  # fmt: skip
    assert response.json()["count"] == MANY


def test_the_api_stars(people, django_assert_max_num_queries):
    api = api_client(people.astronomer)
    response = loads_within(
        BOUND["api_stars"], django_assert_max_num_queries, api, "/api/v1/stars/", measurements()
    )
    assert response.json()["count"] == MANY


def test_the_api_exposures(people, django_assert_max_num_queries):
    api = api_client(people.astronomer)
    response = loads_within(
        BOUND["api_exposures"], django_assert_max_num_queries, api, "/api/v1/exposures/",
        exposures(),
    )  # fmt: skip
    assert response.json()["count"] == MANY


def test_the_api_releases(people, django_assert_max_num_queries):
    api = api_client(None)
    response = loads_within(
        BOUND["api_releases"], django_assert_max_num_queries, api, "/api/v1/releases/", releases()
    )
    assert response.json()["count"] == MANY
    newest = response.json()["results"][0]
    assert newest["version"] == "2026.20"
    assert [f["name"] for f in newest["files"]] == [
        "ReadMe", "jmdc.dat", "jmdc.csv", "jmdc.xlsx", "jmdc.vot", "datacite.json", "SHA256SUMS"
    ]  # fmt: skip
    assert reads_no_changelog(response.queries)


# ---------------------------------------------------------------- the counts of old releases


def test_releases_built_before_the_count_fields_get_their_counts_from_the_changelog():
    """The data migration reads the counts out of each stored changelog."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "jmdc.migrations.0011_release_change_counts_from_changelogs"
    )
    grow = releases()
    grow(3)
    Release.objects.update(added_count=None, removed_count=None, changed_count=None)
    first = Release.objects.get(version="2026.1")
    third = Release.objects.get(version="2026.3")
    third.changelog["counts"].update(added=4, removed=2, changed=1)  # invented, to tell apart
    Release.objects.filter(pk=third.pk).update(changelog=third.changelog)

    migration.copy_counts(apps, None)

    third.refresh_from_db()
    first.refresh_from_db()
    assert (third.added_count, third.removed_count, third.changed_count) == (4, 2, 1)
    assert (first.added_count, first.removed_count, first.changed_count) == (None, None, None)
    second = Release.objects.get(version="2026.2")
    assert (second.added_count, second.removed_count, second.changed_count) == (1, 0, 0)
