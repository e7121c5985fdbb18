"""The property behind issue #14's first defect: whatever text the rules accept can be
accepted, exported in every format and cut into a release without an error.

Hypothesis drives arbitrary Unicode (controls, combining marks, ligatures, fractions, wide
characters, bidi controls...) into the text columns, through the same path as an upload or
the API (``parse_row``), then through the services; and through the importer
(``import_catalogue``, as ``import_jmdc`` runs it) from a CSV file written from the same row.
A row the rules or the importer refuse is simply not pursued; a row they accept must go all
the way. A few dozen examples keep CI fast.
"""

import csv
import datetime
import io
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from curation import services
from curation.uploads import parse_row
from jmdc import releases
from jmdc.formats.vizier import LRECL
from jmdc.importing.catalogue_file import import_catalogue
from jmdc.models import Release
from tests.personas import verified_user
from tests.rows import GOOD_ROW


@pytest.fixture
def personas(db) -> SimpleNamespace:
    """An astronomer, a curator and a catalogue manager (invented people)."""
    make = verified_user
    curator, manager = make("cur"), make("man")
    curator.groups.add(Group.objects.get(name="curators"))
    manager.groups.add(Group.objects.get(name="managers"))
    return SimpleNamespace(astronomer=make("ada"), curator=curator, manager=manager)


pytestmark = pytest.mark.django_db

# Characters that grow, shrink or vanish in VizieR's ASCII, or that trip writers and databases.
TRICKY = list(
    "\u2026\ufb03\u00bd\u2122\u00e9\u0301\uac00\u200b\u202e\u00a0\x00\n\r\t\ufffe\U0001f600\u03c3\u041d"
)
EXPORTS = ["/export_csv", "/export.xlsx", "/export.dat", "/export.vot", "/export.json"]


def near(width: int):
    """Text near a column's width: plain letters, then a few tricky characters."""
    return st.builds(
        lambda n, tail: "n" * n + "".join(tail),
        st.integers(min_value=max(0, width - 8), max_value=width + 2),
        st.lists(st.sampled_from(TRICKY), max_size=4),
    )


def any_text(width: int):
    return st.one_of(st.text(max_size=width + 10), near(width))


def bibcodes():
    """Real bibcodes, the same cut short and given a tricky ending, and anything."""
    return st.one_of(
        st.just("2008A&A...485..561L"),
        st.builds(
            lambda n, tail: "2013MNRAS.433.1262."[:n] + "".join(tail),
            st.integers(min_value=14, max_value=19),
            st.lists(st.sampled_from(TRICKY), min_size=1, max_size=3),
        ),
        any_text(19),
    )


def numbers(largest: float, decimals: int):
    """Number cells near and past a real column's limit (and its rounding), in every
    notation a file or a client may use, and text that is no plain number."""
    step = 10**-decimals
    edges = [largest, largest + step / 2, largest + step, largest * 10, 0.0, step / 3]
    return st.one_of(
        st.sampled_from([repr(x) for x in edges] + [f"{x:.{decimals + 2}f}" for x in edges]),
        st.sampled_from(
            [
                "-0",
                "nan",
                "NaN",
                "inf",
                "-Infinity",
                "1e308",
                "1e999",
                "1e-320",
                "1_0",
                "\u0661",
                "\uff11",
                "0x10",
                "",
            ]
        ),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.floats(min_value=0, max_value=largest * 1.01).map(lambda x: f"{x:.{decimals + 1}f}"),
    )


NUMBER_COLUMNS = {
    "ud_diam": numbers(999.99999, 5),
    "ld_diam": numbers(99.9999, 4),
    "e_ld_diam": numbers(999.9999, 4),
    "mu_lambda": numbers(9.99999, 5),
}

TEXT_COLUMNS = {
    "notes": st.one_of(st.just(""), any_text(204)),
    "id2": st.one_of(st.just("alf Boo"), any_text(28)),
    "band": st.one_of(st.just("K"), any_text(10)),
    "id1": st.one_of(st.just("HD124897"), any_text(28)),
    "bibcode": bibcodes(),
}


class Rollback(Exception):
    pass


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(  # the issue's
    notes="n" * 203 + "\u2026", id2="alf Boo", band="K", id1="HD124897",
    bibcode="2008A&A...485..561L",
)  # fmt: skip
@example(
    notes="", id2="n" * 26 + "\ufb03", band="\u00bd" * 4, id1="HD124897",
    bibcode="2013MNRAS.433.1262\u2026",
)  # fmt: skip
@given(**TEXT_COLUMNS)
def test_whatever_the_rules_accept_is_accepted_exported_and_released(
    personas, notes, id2, band, id1, bibcode
):
    cells = {**GOOD_ROW, "NOTES": notes, "ID2": id2, "BAND": band, "ID1": id1, "BIBCODE": bibcode}
    try:
        with transaction.atomic():  # each example leaves the database as it found it
            _the_whole_way(personas, cells)
            raise Rollback
    except Rollback:
        pass


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(  # issue #14's review: a bibcode 21 characters long once VizieR folds it
    notes="", id2="alf Boo", band="K", id1="HD124897", bibcode="2013MNRAS.433.1262\u2026"
)
@example(notes="", id2="alf Boo", band="K", id1="HD124897", bibcode="2013MNRAS.433.126\u00bd")
@given(**TEXT_COLUMNS)
def test_whatever_the_importer_accepts_is_exported_and_released(
    personas, notes, id2, band, id1, bibcode
):
    cells = {**GOOD_ROW, "NOTES": notes, "ID2": id2, "BAND": band, "ID1": id1, "BIBCODE": bibcode}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    try:
        writer.writerows([list(cells), list(cells.values())])
    except csv.Error:
        event("not writable as CSV")
        return
    _imported_the_whole_way(personas, out.getvalue())


def _imported_the_whole_way(personas, text: str) -> None:
    """The CSV through import_catalogue, then every export and a release; rolled back."""
    try:
        with transaction.atomic():
            result = import_catalogue("jmdc.csv", data=text.encode())
            if result.refused or not result.added:
                event("refused by the importer")
                raise Rollback
            event("imported, exported and released")
            _exported_and_released(personas)
            raise Rollback
    except Rollback:
        pass


def _the_whole_way(people, cells: dict) -> None:
    submission = services.create_submission(actor=people.astronomer, rows=[parse_row(1, cells)])
    row = submission.rows.get()
    if any(f["severity"] == "error" for f in row.findings):
        event("refused by the rules")
        return  # refused, with its reasons: nothing more to hold
    event("accepted, exported and released")
    services.submit(submission, actor=people.astronomer)
    services.start_review(submission, actor=people.curator)
    services.accept(submission, actor=people.curator, acknowledge_warnings=True)
    _exported_and_released(people)


def _exported_and_released(people) -> None:
    client = Client()
    for url in EXPORTS:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if url == "/export.dat":
            lines = body.decode("ascii").splitlines()
            assert [len(line) for line in lines] == [LRECL]

    release = services.cut_release(
        actor=people.manager, version="2099.1", date=datetime.date(2099, 1, 1), build=False
    )
    built = releases.build(release.pk)
    assert built.release.status == Release.Status.READY, built.release.error


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(ud_diam="123456", ld_diam="", e_ld_diam="0.1", mu_lambda="")  # the review's
@example(ud_diam="", ld_diam="100.5", e_ld_diam="0.1", mu_lambda="10.5")
@example(ud_diam="1", ld_diam="99.99996", e_ld_diam="0.1", mu_lambda="-0")
@given(**NUMBER_COLUMNS)
def test_whatever_numbers_are_accepted_are_exported_and_released(
    personas, ud_diam, ld_diam, e_ld_diam, mu_lambda
):
    """The numbers, both ways: as an upload or the API sends them (``parse_row`` and the
    rules) and as import_jmdc reads them from a file."""
    cells = {**GOOD_ROW, "UD_DIAM": ud_diam, "LD_DIAM": ld_diam, "E_LD_DIAM": e_ld_diam,
             "MU_LAMBDA": mu_lambda}  # fmt: skip
    try:
        with transaction.atomic():
            _the_whole_way(personas, cells)
            raise Rollback
    except Rollback:
        pass
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([list(cells), list(cells.values())])
    _imported_the_whole_way(personas, out.getvalue())
