"""Exposures for tests: INVENTED values (not ESO's) in the shape of the real ones."""

from django.utils import timezone

from obsportal.models import Exposure


def exposure(exp_id: str, ra: float | None, dec: float | None, **fields) -> Exposure:
    values = {
        "header_id": exp_id.rsplit("_", 1)[0], "mjd_start": 58849.0, "mjd_end": 58849.001,
        "category": "science", "instrument": "PIONIER", "mode": "FREE-H", "stations": "A0 B2",
        "program": "0104.D-0001(A)", "target_name": "TEST TARGET", "date_updated": timezone.now(),
        "baselines": {"A0-B2": {"length": [10.0, 11.0], "angle": [5.0, 6.0]}},
    }  # fmt: skip
    values.update(fields)
    return Exposure.objects.create(exp_id=exp_id, ra=ra, dec=dec, **values)


# Invented keyword sets (not ESO's), shaped like a PIONIER raw header, for the edge cases.
PIONIER_KEYWORDS = {
    "ARCFILE": "PIONI.2020-01-01T00:00:00.000.fits", "MJD-OBS": 58849.0, "EXPTIME": 60.0,
    "DPR.CATG": "CALIB", "DPR.TYPE": "FRINGE,OBJECT", "DPR.TECH": "INTERFEROMETRY",
    "TELESCOP": "ESO-VLTI-A1234", "INSTRUME": "PIONIER", "RA": 10.0, "DEC": -20.0,
    "OBS.PROG.ID": "0104.D-0001(A)", "OBS.ID": 1, "OBS.TARG.NAME": "HD 1",
    "INS.OPTI2.NAME": "FREE", "INS.FILT1.NAME": "H", "ISS.CONF.NTEL": 2,
    "ISS.CONF.STATION1": "A0", "ISS.CONF.STATION2": "B2", "ISS.PBL12.START": 10.0,
    "ISS.PBL12.END": 11.0, "ISS.PBLA12.START": 5.0, "ISS.PBLA12.END": 6.0,
    "ISS.AMBI.TAU0.START": 0.004, "ISS.AMBI.TAU0.END": 0.006, "ISS.AMBI.FWHM.START": 0.8,
    "ISS.AMBI.FWHM.END": 1.0, "ISS.AMBI.TEMP": 12.0,
}  # fmt: skip
