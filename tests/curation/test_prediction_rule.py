"""A submitted diameter far from its star's photometric prediction is a warning the accepting
curator acknowledges; the finding names both values, the distance in sigma and the source.

The predictions here are SourceFacts rows written by the test (invented values), as the
cross-match importer and the JSDC client would write them."""

import datetime

import pytest

from curation import services
from jmdc.models import SourceFacts, Star
from tests.builders import prediction
from tests.rows import row

pytestmark = pytest.mark.django_db

FAR_FROM_18 = (
    "LD 20.910 ± 0.070 mas is 13.7 sigma (combined errors) from the photometric prediction "
    "18.000 ± 0.200 mas of JMMC's cross-match (SearchCal), as of 2020-09-09: check the "
    "value, its unit and the star."
)


def findings_of(submission, code="far_from_prediction"):
    return [
        (f["field"], f["message"])
        for r in submission.rows.all()
        for f in r.findings
        if f["code"] == code
    ]


def test_an_ld_within_3_sigma_of_the_prediction_passes(people):
    prediction(ldd=20.5, e_ldd=0.2)  # 0.41 / 0.212 = 1.9 sigma
    submission = services.create_submission(actor=people.astronomer, rows=[row()])
    assert findings_of(submission) == []


def test_no_prediction_no_finding(people):
    Star.objects.create(name="HD124897")
    submission = services.create_submission(actor=people.astronomer, rows=[row(LD_DIAM="99.0")])
    assert findings_of(submission) == []


def test_a_star_not_in_the_jsdc_has_no_prediction_from_it(people):
    # The JSDC client records "no diameter" as a row without LDD: not a prediction.
    prediction(ldd=None, e_ldd=None, source=SourceFacts.Source.JSDC)
    submission = services.create_submission(actor=people.astronomer, rows=[row()])
    assert findings_of(submission) == []


def test_the_jsdc_prediction_is_preferred_to_the_cross_match(people):
    prediction(ldd=20.9, e_ldd=0.2)  # the cross-match agrees ...
    prediction(ldd=18.0, e_ldd=0.2, source=SourceFacts.Source.JSDC, as_of=datetime.date(2026, 1, 5))
    submission = services.create_submission(actor=people.astronomer, rows=[row()])
    assert findings_of(submission) == [
        (
            "LD_DIAM",
            "LD 20.910 ± 0.070 mas is 13.7 sigma (combined errors) from the photometric "
            "prediction 18.000 ± 0.200 mas of the JSDC (VizieR II/346), as of 2026-01-05: "
            "check the value, its unit and the star.",
        )
    ]


def test_a_ud_is_converted_with_a_linear_limb_darkening_coefficient(people):
    prediction()
    submission = services.create_submission(
        actor=people.astronomer, rows=[row(LD_DIAM="", MU_LAMBDA="0.3")]
    )
    # sqrt((1 - 0.3/3) / (1 - 7*0.3/15)) = 1.02299: UD 19.9 is LD 20.358 +- 0.072.
    assert findings_of(submission) == [
        (
            "UD_DIAM",
            "UD 19.900 mas, converted with MU_LAMBDA 0.3 (a linear limb-darkening coefficient) "
            "to LD 20.358 ± 0.072 mas, is 11.1 sigma (combined errors) from the photometric "
            "prediction 18.000 ± 0.200 mas of JMMC's cross-match (SearchCal), as of "
            "2020-09-09: check the value, its unit and the star.",
        )
    ]


def test_a_ud_converted_with_its_ld_ud_ratio_that_agrees_passes(people):
    # UD 19.9 itself is 9.5 sigma below 21.9; times the ratio 1.10 it is 21.89.
    prediction(ldd=21.9, e_ldd=0.2)
    converted = services.create_submission(
        actor=people.astronomer, rows=[row(LD_DIAM="", MU_LAMBDA="1.10")]
    )
    assert findings_of(converted) == []


def test_a_ud_without_mu_lambda_is_not_compared(people):
    prediction(ldd=30.0)
    submission = services.create_submission(actor=people.astronomer, rows=[row(LD_DIAM="")])
    assert findings_of(submission) == []


def test_a_row_without_an_error_is_compared_with_the_predictions_error_alone(people):
    prediction(ldd=20.0, e_ldd=0.25)  # 0.91 / 0.25
    submission = services.create_submission(actor=people.astronomer, rows=[row(E_LD_DIAM="")])
    assert findings_of(submission) == [
        (
            "LD_DIAM",
            "LD 20.910 mas (no error given) is 3.6 sigma (combined errors) from the photometric "
            "prediction 20.000 ± 0.250 mas of JMMC's cross-match (SearchCal), as of "
            "2020-09-09: check the value, its unit and the star.",
        )
    ]


def test_the_predictions_of_a_batch_are_read_once_not_per_row(people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from curation.rules_context import build_context

    for number in range(5):
        prediction(name=f"HD{number}")

    def queries_for(count: int) -> int:
        submission = services.create_submission(
            actor=people.astronomer, rows=[row(n, ID1=f"HD{n % 5}") for n in range(2, 2 + count)]
        )
        rows = list(submission.rows.all())
        viewer = type(people.astronomer).objects.get(pk=people.astronomer.pk)
        with CaptureQueriesContext(connection) as queries:
            context = build_context(rows, viewer=viewer)
        assert {facts.prediction.ldd for facts in context.stars.values()} == {18.0}
        return len(queries)

    assert queries_for(2) == queries_for(20)


def test_a_prediction_jmmc_flags_is_named_as_such_in_the_finding(people):
    """A Mira or a close pair is often far from its photometric diameter with no error in the
    row: the curator is told JMMC's own flags (the JSDC's CalFlag bits)."""
    prediction(ldd=18.0, e_ldd=0.2, cal_flag=4)
    submission = services.create_submission(actor=people.astronomer, rows=[row()])
    assert findings_of(submission) == [
        (
            "LD_DIAM",
            FAR_FROM_18 + " JMMC flags this prediction: SIMBAD types it as variable or binary "
            "(pulsating, Mira, Cepheid, SB...).",
        )
    ]
