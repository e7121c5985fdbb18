"""The star page shows the star's predicted diameter beside its measurements: value, error,
source and date (values invented)."""

import datetime

import pytest

from jmdc.models import SourceFacts
from tests.builders import measurement, prediction
from tests.pages import page_of, text_of

pytestmark = pytest.mark.django_db


def prediction_shown(client, star) -> str:
    page = page_of(client.get(f"/star/{star.pk}/"))
    (paragraph,) = page.xpath('//p[@class="prediction"]')
    return text_of(paragraph)


def test_the_star_page_shows_the_prediction_with_its_source_and_date(client):
    row = measurement(id1="HD360")
    prediction("HD360", ldd=0.9, e_ldd=0.0204)
    assert prediction_shown(client, row.star) == (
        "Predicted LD diameter: 0.900 ± 0.020 mas, from JMMC's cross-match (SearchCal) "
        "(invented for a test), as of 2020-09-09."
    )


def test_the_jsdcs_prediction_is_shown_rather_than_the_cross_matchs(client):
    row = measurement(id1="HD360")
    prediction("HD360", ldd=0.9, e_ldd=0.02)
    prediction("HD360", ldd=0.95, e_ldd=0.03, source=SourceFacts.Source.JSDC,
               as_of=datetime.date(2026, 1, 5))  # fmt: skip
    assert prediction_shown(client, row.star) == (
        "Predicted LD diameter: 0.950 ± 0.030 mas, from the JSDC (VizieR II/346) "
        "(invented for a test), as of 2026-01-05."
    )


def test_a_star_without_prediction_says_when_it_will_have_one(client):
    row = measurement(id1="HD360")
    assert prediction_shown(client, row.star) == (
        "No predicted diameter for this star yet: the JSDC is asked once SIMBAD has placed it."
    )
