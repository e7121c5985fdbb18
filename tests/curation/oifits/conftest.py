"""The shared OIFITS files (../shared/oifits, read in place, never copied into the repository)
and broken copies of them written by the test itself."""

from collections.abc import Callable
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
def stored_oifits(settings, tmp_path) -> Path:
    """Where the portal keeps attached OIFITS files during the test (settings.OIFITS_DIR)."""
    settings.OIFITS_DIR = tmp_path / "stored-oifits"
    return settings.OIFITS_DIR
