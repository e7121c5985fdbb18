"""Exposure targets identified through the SIMBAD client, by name, confirmed by position.

SIMBAD is the local stand-in (astroquery's real code path on 127.0.0.1). The objects it knows
here are INVENTED for the tests (main ids "TEST ..."), placed relative to the pointing the
headers or builders give: they are not SIMBAD's answers.
"""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from jmdc.models import Star, StarAlias
from obsportal.ingest import ingest_paths
from obsportal.models import Exposure, TargetStatus
from obsportal.targets import identify_targets, simbad_name
from standins.simbad import StandInObject
from tests.obsportal.builders import exposure

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::astropy.utils.exceptions.AstropyWarning"),
]
ARCSEC = 1 / 3600


def test_header_names_become_simbad_names():
    assert simbad_name("HD_45677") == "HD 45677"
    assert simbad_name("alf__Sco ") == "alf Sco"
    assert simbad_name("___") == ""


def test_the_real_headers_targets(simbad, shared_dir, capsys):
    simbad.add(StandInObject("TEST HD 58647", 111.483684 + 5 * ARCSEC, -14.17877,
                             identifiers=("HD 58647",)))  # fmt: skip
    simbad.add(StandInObject("TEST HD 139614", 235.191613, -42.49835, identifiers=("HD 139614",)))
    # Two arcminutes from where the PIONIER header pointed: the name alone is not trusted.
    simbad.add(StandInObject("TEST HD 45677", 97.072598, -13.05309 + 120 * ARCSEC,
                             identifiers=("HD 45677",)))  # fmt: skip
    call_command("ingest_headers", str(shared_dir / "obsportal" / "headers"))
    out = capsys.readouterr().out
    assert (
        "targets: 2 exposures identified, 1 not found in SIMBAD, 1 pointed far from SIMBAD's "
        "object, 0 without a position to confirm, 0 waiting"
    ) in out

    gravity = Exposure.objects.get(exp_id="GRAVI.2020-01-27T03:39:22.003_1")
    assert gravity.target_name == "HD_58647"  # the header's spelling is kept
    assert gravity.target_status == TargetStatus.IDENTIFIED
    assert (gravity.star.name, gravity.star.main_id) == ("HD 58647", "TEST HD 58647")
    matisse = Exposure.objects.get(header_id="MATIS.2025-05-19T00:43:54.470")
    assert matisse.star.main_id == "TEST HD 139614"
    pionier = Exposure.objects.get(exp_id="PIONI.2017-12-23T05:46:54.265_1")
    assert pionier.star is None and pionier.target_status == TargetStatus.FAR
    assert pionier.target_note == (
        "SIMBAD's TEST HD 45677 lies 120.0\u2033 from the pointing (more than 30\u2033)."
    )
    iras = Exposure.objects.get(target_name="IRAS17216-3801")
    assert iras.target_status == TargetStatus.NOT_FOUND
    assert iras.target_note == "SIMBAD knows no object named 'IRAS17216-3801'."
    assert simbad.count("batch") == 1  # one request for the four names

    # The star's page lists the exposure; its detail page links to the star.
    page = Client().get(gravity.star.get_absolute_url()).content.decode()
    assert "GRAVI.2020-01-27T03:39:22.003_1" in page
    # Not asked again: nothing is pending.
    assert str(identify_targets()).startswith("0 exposures identified")
    assert simbad.count("batch") == 1


def test_a_star_the_catalogue_knows_is_not_asked_for(simbad):
    star = Star.objects.create(name="HD 1234", main_id="TEST HD 1234", ra=10.0, dec=-20.0,
                               status=Star.Status.RESOLVED)  # fmt: skip
    StarAlias.objects.create(name="Test alias", star=star)
    exposure("PIONI.A_1", 10.0, -20.0 + 3 * ARCSEC, target_name="HD_1234")
    exposure("PIONI.B_1", 10.0, -20.0, target_name="Test_alias")
    summary = identify_targets()
    assert summary.identified == 2
    assert set(star.exposures.values_list("exp_id", flat=True)) == {"PIONI.A_1", "PIONI.B_1"}
    assert simbad.count("batch") == 0


def test_a_name_of_a_catalogue_star_under_another_spelling_joins_it(simbad):
    antares = Star.objects.create(name="Antares", main_id="TEST alf Sco", ra=247.35, dec=-26.43,
                                  status=Star.Status.RESOLVED)  # fmt: skip
    simbad.add(StandInObject("TEST alf Sco", 247.35, -26.43, identifiers=("alf Sco", "Antares")))
    exposure("MATIS.A_1", 247.35, -26.43, target_name="alf_Sco")
    identify_targets()
    assert Exposure.objects.get().star == antares  # no second star for the same object
    assert StarAlias.objects.get(name="alf Sco").star == antares
    assert Star.objects.count() == 1


def test_ambiguous_names_and_missing_positions_are_explained(simbad):
    simbad.add(StandInObject("TEST twin A", 1.0, 1.0, identifiers=("twin",)))
    simbad.add(StandInObject("TEST twin B", 1.1, 1.1, identifiers=("twin",)))
    simbad.add(StandInObject("TEST lone", 5.0, 5.0, identifiers=("lone",)))
    exposure("X.A_1", 1.0, 1.0, target_name="twin")
    exposure("X.B_1", None, None, target_name="lone")
    exposure("X.C_1", 3.0, 3.0, target_name="")
    summary = identify_targets()
    assert (summary.not_found, summary.unconfirmed) == (2, 1)
    notes = dict(Exposure.objects.values_list("exp_id", "target_note"))
    assert notes["X.A_1"] == "SIMBAD finds 2 objects: TEST twin A, TEST twin B."
    assert "no valid pointing" in notes["X.B_1"]
    assert notes["X.C_1"] == "The header names no target."
    assert not Star.objects.filter(name="twin").exists()  # nothing invented from a bad name


def test_exposures_wait_while_simbad_is_down_and_are_identified_later(settings, simbad):
    exposure("PIONI.A_1", 10.0, -20.0, target_name="HD_99")
    simbad.add(StandInObject("TEST HD 99", 10.0, -20.0, identifiers=("HD 99",)))
    simbad.inject(("503",), ("503",), ("503",), ("503",))
    down = identify_targets()
    assert down.waiting == 1 and down.simbad_error
    assert Exposure.objects.get().target_status == TargetStatus.PENDING
    simbad.faults.clear()
    assert identify_targets().identified == 1
    assert Exposure.objects.get().star.name == "HD 99"


def test_a_header_naming_another_target_is_identified_again(simbad, shared_dir, tmp_path):
    simbad.add(StandInObject("TEST HD 45677", 97.072598, -13.05309, identifiers=("HD 45677",)))
    simbad.add(StandInObject("TEST FS CMa", 97.072598, -13.05309, identifiers=("FS CMa",)))
    text = shared_dir / "obsportal/headers/PIONI.2017-12-23T05-46-54.265.primary.hdr.txt"
    text = text.read_text()
    ingest_paths([shared_dir / "obsportal/headers/PIONI.2017-12-23T05-46-54.265.primary.hdr.txt"])
    identify_targets()
    assert Exposure.objects.get().star.name == "HD45677"  # as the header spells it

    renamed = tmp_path / "renamed.hdr.txt"
    renamed.write_text(text.replace("'HD45677 '", "'FS_CMa  '"))
    assert ingest_paths([renamed]).updated == 1
    assert Exposure.objects.get().target_status == TargetStatus.PENDING
    identify_targets()
    assert Exposure.objects.get().star.name == "FS CMa"


def test_the_admin_asks_simbad_again_about_chosen_exposures_and_the_log_says_who(caplog):
    star = Star.objects.create(name="HD 1", main_id="HD 1", status=Star.Status.RESOLVED)
    wrong = exposure("PIONI.A_1", 1.0, 1.0, target_name="HD_1", star=star,
                     target_status=TargetStatus.IDENTIFIED, target_note="by position")  # fmt: skip
    kept = exposure("PIONI.B_1", 1.0, 1.0, target_name="HD_1", star=star,
                    target_status=TargetStatus.IDENTIFIED)  # fmt: skip
    admin = Client()
    admin.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    with caplog.at_level("INFO", logger="obsportal.targets"):
        response = admin.post(
            "/admin/obsportal/exposure/",
            {"action": "identify_again", "_selected_action": [wrong.pk]},
            follow=True,
        )
    assert "1 exposures wait for the next identification run." in response.content.decode()
    wrong.refresh_from_db()
    kept.refresh_from_db()
    assert (wrong.star, wrong.target_status, wrong.target_note) == (None, TargetStatus.PENDING, "")
    assert kept.star == star and kept.target_status == TargetStatus.IDENTIFIED
    assert "1 exposures queued for identification again by root" in caplog.text


def test_a_pointing_without_its_declination_is_unconfirmed_not_a_crash(simbad):
    """An exposure stored with an RA and no Dec (no header gives that; a hand edit or an old
    import could): the identification says so instead of failing on the missing number."""
    simbad.add(StandInObject("TEST lone", 5.0, 5.0, identifiers=("lone",)))
    exposure("X.D_1", 5.0, None, target_name="lone")
    summary = identify_targets()
    assert summary.unconfirmed == 1
    stored = Exposure.objects.get(exp_id="X.D_1")
    assert stored.target_status == TargetStatus.UNCONFIRMED and stored.star is None
    assert "no valid pointing" in stored.target_note
