"""The shared OIFITS files (../shared/oifits, read in place, never copied into the repository)
and broken copies of them written by the test itself."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from astropy.io import fits

from tests.curation.oifits.files import ACHERNAR, HD45677, SIMULATED
from tests.parts import missing_part


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
