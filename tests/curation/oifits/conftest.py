"""The shared OIFITS files (../shared/oifits, read in place, never copied into the repository)
and broken copies of them written by the test itself."""

import datetime
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from astropy.io import fits
from django.utils import timezone

from curation import services
from tests.curation.oifits.files import ACHERNAR, ACHERNAR_ROW, HD45677, SIMULATED
from tests.parts import missing_part
from tests.rows import row


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
def stored_oifits(settings, tmp_path) -> Iterator[Path]:
    """Where the portal writes its temporary copies of uploaded OIFITS files during the test (to
    validate them; settings.FILE_UPLOAD_TEMP_DIR, Django's own uploads' folder too). Their bytes
    are kept in the database: no copy stays there once the upload is recorded or refused."""
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "uploads-in-progress"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    yield settings.FILE_UPLOAD_TEMP_DIR
    left = sorted(p.name for p in settings.FILE_UPLOAD_TEMP_DIR.iterdir())
    assert not left, f"temporary copies left behind: {left}"


@pytest.fixture
def achernar_draft(people):
    """An embargoed draft of the astronomer's group: row 1 Achernar's UD and LD, row 2 another."""
    return services.create_submission(
        actor=people.astronomer, rows=[row(1, **ACHERNAR_ROW), row(2)], group=people.group,
        title="Achernar in H", embargo_until=timezone.localdate() + datetime.timedelta(days=30),
    )  # fmt: skip
