"""The fit of a row's OIFITS against plain reading of the same file: the fit (reading its VIS2
points, then the uniform and the limb-darkened disc, each from its grid of starting diameters)
should cost little more than astropy opening the file and reading every table.

The largest shared file, ../shared/oifits (REAL MATISSE data of HD 45677, 64 channels, 187 kB),
read in place; no database."""

import statistics
import time
from pathlib import Path

from astropy.io import fits
from django.conf import settings

from curation.oifits.fit import fit_files
from curation.oifits.validate import validate

REPEATS = 30


def median_seconds(work) -> float:
    work()  # imports and caches warm for both
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def plain_reading(path: Path) -> int:
    with fits.open(path, memmap=False) as hdus:
        return sum(len(hdu.data) for hdu in hdus[1:] if hdu.data is not None)


def run() -> None:
    folder = Path(settings.SHARED_DATA_DIR) / "oifits"
    files = sorted(folder.glob("*.fits"), key=lambda p: p.stat().st_size)
    if not files:
        print(f"not measured: no OIFITS file in {folder} (the benchmark reads ../shared/oifits)")
        return
    path = files[-1]
    read = median_seconds(lambda: plain_reading(path))
    fitted = median_seconds(lambda: fit_files([(path, path.name)]))
    checked = median_seconds(lambda: validate(path))
    result = fit_files([(path, path.name)])
    print(
        f"{path.name} ({path.stat().st_size / 1e3:.0f} kB, {result.uniform.points} VIS2 points); median of {REPEATS}"
    )
    print(f"baseline (astropy reads every table): {read * 1000:.1f} ms")
    print(
        f"fit (read the VIS2 points, fit a uniform and a limb-darkened disc): {fitted * 1000:.1f} ms"
    )
    print(f"validation against the standard: {checked * 1000:.1f} ms")
    print(f"ratio fit/reading: {fitted / read:.2f}x; validation/reading: {checked / read:.2f}x")
