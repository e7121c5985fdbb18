"""The JSDC's predictions (VizieR II/346) through astroquery, against the VizieR stand-in:
asked in one request for many stars, kept per star, asked again later when VizieR was down,
never at the cost of an identification. The stand-in's rows are TEST DATA (invented, or copied
from JMMC's 2020 cross-match where a test says so), not the JSDC's."""

import pytest
from django.db import DatabaseError
from django.utils import timezone

from jmdc.identification import resolve_stars
from jmdc.jsdc import JsdcClient, VizierUnavailable
from jmdc.models import SourceFacts, Star
from jmdc.predictions import fetch_predictions, prediction_of
from jmdc.tasks import sweep_missing_predictions
from standins.simbad import StandInObject
from standins.vizier import FROM_CROSSMATCH, JsdcRow, VizierStandIn

pytestmark = pytest.mark.django_db

ARCTURUS = StandInObject(
    "* alf Boo", 213.9153, 19.1824, "RG*", "K1.5III", ("* alf Boo", "HD 124897", "HIP 69673")
)  # fmt: skip
# Position, LDD and error as JMMC's 2020 cross-match has them for HD36267 (SearchCal's LDD).
HD36267 = JsdcRow("HD 36267", 82.6960435, 5.9481585, 0.3274122, 0.0256171, FROM_CROSSMATCH)


def placed(name: str, ra: float, dec: float) -> Star:
    """A star SIMBAD has placed (its position invented unless said)."""
    return Star.objects.create(name=name, status=Star.Status.RESOLVED, main_id=name, ra=ra, dec=dec)


def test_many_stars_are_asked_for_in_one_request_and_each_keeps_its_answer(vizier):
    vizier.add(HD36267)
    vizier.add(JsdcRow("HD 1", 10.0, 20.0, 1.234, 0.05))
    vizier.add(JsdcRow("HD 2", 30.0, -40.0, None, None))  # in the JSDC, without a diameter
    known = placed("HD36267", 82.6960435, 5.9481585)
    near = placed("HD1", 10.0002, 20.0001)  # 0.7 arcsec away
    undiametered = placed("HD2", 30.0, -40.0)
    unknown = placed("HD3", 200.0, 10.0)

    predicted = fetch_predictions([s.pk for s in (known, near, undiametered, unknown)])

    assert (vizier.count(), vizier.requests[0].positions) == (1, 4)
    assert sorted(predicted) == sorted([known.pk, near.pk])
    answers = {
        f.star.name: (f.ldd, f.e_ldd, f.reference, f.as_of)
        for f in SourceFacts.objects.filter(source="jsdc").select_related("star")
    }
    today = timezone.localdate()
    assert answers == {
        "HD36267": (0.3274122, 0.0256171, "VizieR II/346/jsdc_v2: HD 36267", today),
        "HD1": (1.234, 0.05, "VizieR II/346/jsdc_v2: HD 1", today),
        "HD2": (None, None, "VizieR II/346/jsdc_v2: HD 2, without a diameter estimate", today),
        "HD3": (None, None, "VizieR II/346/jsdc_v2: no star within 3 arcsec", today),
    }
    assert str(prediction_of(known)) == "0.327 ± 0.026 mas"
    assert prediction_of(known).source_words == "the JSDC (VizieR II/346)"
    assert prediction_of(unknown) is None


def test_a_star_asked_once_is_not_asked_again(vizier):
    vizier.add(HD36267)
    known = placed("HD36267", 82.6960435, 5.9481585)
    unknown = placed("HD3", 200.0, 10.0)
    fetch_predictions([known.pk, unknown.pk])
    fetch_predictions([known.pk, unknown.pk])
    assert sweep_missing_predictions() == "no star waits for its JSDC prediction"
    assert vizier.count() == 1


def test_a_batch_larger_than_the_client_takes_is_split(vizier):
    stars = [placed(f"HD{n}", 10.0 + n, 0.0) for n in range(5)]
    client = JsdcClient(vizier.url, rate=100, batch_size=2)
    fetch_predictions([s.pk for s in stars], client=client)
    assert [r.positions for r in vizier.requests] == [2, 2, 1]


@pytest.mark.parametrize("fault", [("503",), ("garbage",), ("drop",)])
def test_vizier_trouble_records_nothing_and_the_sweep_asks_again(vizier, fault):
    vizier.add(HD36267)
    star = placed("HD36267", 82.6960435, 5.9481585)
    vizier.inject(fault)
    with pytest.raises(VizierUnavailable):
        fetch_predictions([star.pk])
    assert not SourceFacts.objects.exists()
    assert sweep_missing_predictions() == "1 stars asked of the JSDC, 1 with a prediction"
    assert prediction_of(star).ldd == 0.3274122


def test_a_write_failing_half_way_keeps_none_of_the_answers_and_the_sweep_asks_again(
    vizier, monkeypatch
):
    """The answers are kept in one transaction: a database error at the second star leaves
    the first without its answer too, so the sweep asks about both again."""
    vizier.add(HD36267)
    vizier.add(JsdcRow("HD 1", 10.0, 20.0, 1.234, 0.05))
    stars = [placed("HD36267", 82.6960435, 5.9481585), placed("HD1", 10.0, 20.0)]
    manager = type(SourceFacts.objects)
    keep = manager.update_or_create
    calls = []

    def failing_second(self, *args, **kwargs):
        calls.append(kwargs["star"].name)
        if len(calls) == 2:
            raise DatabaseError("the disk is full (invented)")
        return keep(self, *args, **kwargs)

    monkeypatch.setattr(manager, "update_or_create", failing_second)
    with pytest.raises(DatabaseError):
        fetch_predictions([s.pk for s in stars])
    assert calls == ["HD36267", "HD1"] and not SourceFacts.objects.exists()
    monkeypatch.undo()
    assert sweep_missing_predictions() == "2 stars asked of the JSDC, 2 with a prediction"


def test_vizier_down_the_identification_still_succeeds_and_the_prediction_comes_later(
    simbad, settings
):
    simbad.add(ARCTURUS)
    star = Star.objects.create(name="HD124897")
    # VizieR is a closed port (no_real_vizier): SIMBAD's answer is kept all the same.
    summary = resolve_stars([star.pk])
    star.refresh_from_db()
    assert (summary.resolved, star.status, star.main_id) == (1, "resolved", "* alf Boo")
    assert prediction_of(star) is None
    assert "VizieR failed, 1 stars wait" in sweep_missing_predictions()

    with VizierStandIn([JsdcRow("HD 124897", 213.9153, 19.1824, 21.0, 0.2)]) as vizier:
        settings.VIZIER_URL = vizier.url
        from jmdc.jsdc import get_client

        get_client.cache_clear()
        assert sweep_missing_predictions() == "1 stars asked of the JSDC, 1 with a prediction"
    assert (prediction_of(star).ldd, prediction_of(star).source) == (21.0, "jsdc")


def test_the_prediction_is_fetched_right_after_simbad_places_the_star(simbad, vizier):
    simbad.add(ARCTURUS)
    vizier.add(JsdcRow("HD 124897", 213.9153, 19.1824, 21.0, 0.2))
    star = Star.objects.create(name="HD124897")
    resolve_stars([star.pk])
    assert prediction_of(star).ldd == 21.0
    assert vizier.requests[0].user_agent.startswith("JMDC-portal")


def test_a_star_simbad_did_not_place_is_not_asked_for(vizier):
    pending = Star.objects.create(name="HD124897")
    assert fetch_predictions([pending.pk]) == []
    assert vizier.count() == 0


def test_the_jsdcs_confidence_flags_are_kept_with_its_prediction(vizier):
    vizier.add(JsdcRow("HD 1", 10.0, 20.0, 1.234, 0.05, cal_flag=2))
    star = placed("HD1", 10.0, 20.0)
    fetch_predictions([star.pk])
    assert prediction_of(star).cautions == ["it is a close double in the WDS (under 1 arcsec)"]
