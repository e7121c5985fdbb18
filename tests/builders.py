"""Building catalogue rows for tests. Values are invented unless a test says otherwise.
(People: tests/personas.py; submitted rows: tests/rows.py.)"""

import datetime

from jmdc.models import Measurement, SourceFacts, Star


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
    # The star of the name as the catalogue finds it (HD 360 is the star of HD360); a name
    # the catalogue refuses (empty) meets the database's constraint, as it should.
    found = Star.objects.for_names([values["id1"]]).get(values["id1"].strip())
    star = found or Star.objects.create(name=values["id1"])
    return Measurement.objects.create(star=star, **values)


def tomorrow() -> datetime.date:
    return datetime.date.today() + datetime.timedelta(days=1)


def prediction(
    name: str = "HD124897",
    ldd: float | None = 18.0,
    e_ldd: float | None = 0.2,
    source: str = SourceFacts.Source.CROSSMATCH,
    as_of: datetime.date = datetime.date(2020, 9, 9),
    cal_flag: int | None = None,
) -> Star:
    """A star with a predicted diameter, as the cross-match importer or the JSDC client
    would record it (the values invented)."""
    star, _ = Star.objects.get_or_create(name=name)
    SourceFacts.objects.create(
        star=star, source=source, as_of=as_of, ldd=ldd, e_ldd=e_ldd, cal_flag=cal_flag,
        reference="invented for a test",
    )  # fmt: skip
    return star
