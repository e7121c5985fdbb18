"""Building catalogue rows for tests. Values are invented unless a test says otherwise."""

import datetime

from django.contrib.auth.models import User

from accounts.verification import mark_verified
from jmdc.models import Measurement, Star


def measurement(**fields) -> Measurement:
    values = {
        "id1": "HD360",
        "ud_diam": None,
        "ld_diam": 0.906,
        "e_ld_diam": 0.014,
        "band": "H",
        "method": 1,
        "bandcode": 7,
        "bibcode": "2019Natur.567..200P",
    }
    values.update(fields)
    star, _ = Star.objects.get_or_create(name=values["id1"])
    return Measurement.objects.create(star=star, **values)


def tomorrow() -> datetime.date:
    return datetime.date.today() + datetime.timedelta(days=1)


def verified_user(username: str, email: str = "", password: str | None = None) -> User:
    """An account that has followed its e-mail link: it may submit and receives e-mail."""
    user = User.objects.create_user(username, email or f"{username}@example.org", password)
    assert mark_verified(user)
    return user
