"""The shared OIFITS files (../shared/oifits, read in place, never copied into the repository)
and broken copies of them written by the test itself."""

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from astropy.io import fits
from django.utils import timezone

from curation import services
from tests.curation.oifits.files import ACHERNAR, HD45677, SIMULATED
from tests.parts import missing_part
from tests.rows import row

ACHERNAR_ROW = {
    "ID1": "HD10144", "ID2": "Achernar", "UD_DIAM": "2.0", "LD_DIAM": "2.05",
    "E_LD_DIAM": "0.02", "BAND": "H", "BANDCODE": "7",
}  # fmt: skip


@pytest.fixture(scope="session")
def oifits_dir(shared_dir) -> Path:
    path = shared_dir / "oifits"
    if not all((path / name).is_file() for name in (SIMULATED, ACHERNAR, HD45677)):
        missing_part(f"the OIFITS files of {path} are absent (see ../shared/oifits/PROVENANCE.md)")
    return path


@pytest.fixture
def broken_copy(oifits_dir, tmp_path) -> Callable[[str, Callable[[fits.HDUList], None]], Path]:
    """A copy of a shared file with one change made by astropy, as a careless tool would."""

    def copy(name: str, change: Callable[[fits.HDUList], None]) -> Path:
        target = tmp_path / f"broken-{name}"
        with fits.open(oifits_dir / name, memmap=False) as hdus:
            hdus.readall()
            change(hdus)
            hdus.writeto(target)
        return target

    return copy


@pytest.fixture
def stored_oifits(settings, tmp_path) -> Path:
    """Where the portal keeps attached OIFITS files during the test (settings.OIFITS_DIR)."""
    settings.OIFITS_DIR = tmp_path / "stored-oifits"
    return settings.OIFITS_DIR


@pytest.fixture
def achernar_draft(people):
    """An embargoed draft of the astronomer's group: row 1 Achernar's UD and LD, row 2 another."""
    return services.create_submission(
        actor=people.astronomer, rows=[row(1, **ACHERNAR_ROW), row(2)], group=people.group,
        title="Achernar in H", embargo_until=timezone.localdate() + datetime.timedelta(days=30),
    )  # fmt: skip
