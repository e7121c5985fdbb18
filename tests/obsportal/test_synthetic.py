"""The synthetic exposures: labelled, shaped like the real ones, readable by the clients."""

import io
from collections import Counter

import pytest
from astropy.io.votable import parse
from django.core.management import call_command
from django.test import Client

from obsportal.models import Exposure
from obsportal.synthetic import LABEL, PROGRAM
from tests.obsportal.builders import exposure

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::astropy.io.votable.exceptions.VOWarning"),
]


def test_synthetic_exposures_are_labelled_and_replace_only_themselves():
    exposure("REAL.A_1", 10.0, 10.0)
    call_command("make_synthetic_exposures", "--count", "3000", "--targets", "200")
    call_command("make_synthetic_exposures", "--count", "2000", "--targets", "200")
    synthetic = Exposure.objects.filter(program=PROGRAM)
    assert synthetic.count() == 2000
    assert Exposure.objects.filter(exp_id="REAL.A_1").exists()
    assert all(e.exp_id.startswith("SYNTH.") for e in synthetic)
    assert all(e.validation_log == [LABEL] for e in synthetic)
    instruments = Counter(synthetic.values_list("instrument", flat=True))
    assert set(instruments) == {"GRAVITY", "PIONIER", "MATISSE", "AMBER", "MIDI"}
    assert instruments.most_common(1)[0][0] == "GRAVITY"
    assert 100 < synthetic.values("target_name").distinct().count() <= 200
    assert all(-90 <= dec <= 30 for dec in synthetic.values_list("dec", flat=True))
    # Aspro2 reads them like real ones: a cone around one synthetic target finds its rows.
    target = synthetic.values("target_name", "ra", "dec").first()
    response = Client().post("/search.votable", {"ra": target["ra"], "dec": target["dec"]})
    rows = parse(io.BytesIO(b"".join(response.streaming_content))).get_first_table().array
    expected = synthetic.filter(target_name=target["target_name"]).count()
    assert len(rows) >= expected > 0
    assert all(b.startswith("{'") for b in rows["exp_projected_baselines"])
