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
