"""Rows the TAP tests publish, or must not: invented values, Vega's real position."""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from jmdc.models import Star
from tests.builders import measurement, tomorrow
from tests.obsportal.builders import exposure

VEGA = (279.2347, 38.7837)


def catalogue_with_secrets():
    """Vega's public diameter, a public one of tau Cet, one still embargoed (of a star known
    from nothing else), an exposure of Vega released and one still proprietary."""
    vega = measurement(id1="HD172167", ld_diam=3.28, e_ld_diam=0.01, band="K", bandcode=8)
    # SIMBAD identified both stars (their main identifier and position are SIMBAD's).
    Star.objects.filter(pk=vega.star_id).update(
        main_id="* alf Lyr", ra=VEGA[0], dec=VEGA[1], sp_type="A0Va", status=Star.Status.RESOLVED
    )
    tau_cet = measurement(id1="HD10700", ld_diam=2.015)
    Star.objects.filter(pk=tau_cet.star_id).update(
        main_id="* tau Cet", ra=26.017, dec=-15.9375, status=Star.Status.RESOLVED
    )
    group = Group.objects.create(name="secret observers")
    hidden = measurement(id1="HD999", ld_diam=9.0, group=group, embargo_until=tomorrow())
    released = exposure(
        "PIONI.2019-03-21T03:14:15.123_0001", 279.2, 38.8, star_id=vega.star_id,
        em_min=1.5e-6, em_max=1.8e-6, res_power=40.0, mjd_start=58563.1, mjd_end=58563.1001,
        program="0102.C-0001(A)", program_pi_coi="Le Bouquin/Berger",
        date_release=timezone.now() - datetime.timedelta(days=10),
    )  # fmt: skip
    proprietary = exposure(
        "GRAVI.2026-01-01T01:00:00.000_0002", 26.0, -15.9, instrument="GRAVITY",
        date_release=timezone.now() + datetime.timedelta(days=300),
    )  # fmt: skip
    return vega, tau_cet, hidden, released, proprietary
