"""A star's angular diameter refitted from the squared visibilities of its OIFITS files: a uniform
disc and a linear-law limb-darkened disc, least squares by SciPy, each with its error, reduced
chi2, number of points and wavelength range, and the target names the files give (for the
caller to compare with the row's star).

The points: every OI_VIS2 value not flagged, finite, with a finite positive error, at a spatial
frequency B/lambda that is finite and not zero (B = sqrt(UCOORD² + VCOORD²) in metres, lambda the
EFF_WAVE of the OI_WAVELENGTH its INSNAME names). Run `validate` first: it says why a file gives
no point; here such a file only raises `NoPoints`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
from astropy.io import fits
from scipy.optimize import least_squares
from scipy.special import j1

MAS = math.pi / (180 * 3600 * 1000)  # one milliarcsecond in radians

# The linear limb-darkening coefficient used when the row gives none. Most interferometric
# diameters of the catalogue are measured in the near infrared (H, K) on FGK dwarfs and giants,
# where Claret's (2000, A&A 363, 1081) linear coefficients lie between about 0.2 and 0.4: 0.3 is
# the middle. Over that range LD/UD moves by under 2% (1.026 to 1.047), less than most
# diameters' errors, so the default shapes the LD value little; the result says it was used.
DEFAULT_MU = 0.3

# Initial diameters tried before the least squares: V2 of a disc is not monotonic in the
# diameter once points lie past the first null, so a fit started at one guess can settle on a
# secondary minimum (the "first-lobe ambiguity"). A grid from far below the resolution of the
# longest baseline to far beyond the first null of the shortest one, kept best, removes it.
GRID_SIZE = 400


class NoPoints(ValueError):
    """The files give no squared visibility the fit can use."""


@dataclass(frozen=True)
class Vis2Points:
    """The usable squared visibilities of one or several files, one entry per point."""

    vis2: np.ndarray
    error: np.ndarray
    u: np.ndarray  # metres
    v: np.ndarray  # metres
    wavelength: np.ndarray  # metres
    files: tuple[str, ...]
    targets: tuple[
        str, ...
    ]  # the OI_TARGET names of the points' TARGET_IDs, as the files spell them

    @property
    def spatial_frequency(self) -> np.ndarray:
        """B / lambda, in cycles per radian."""
        return np.hypot(self.u, self.v) / self.wavelength

    def __len__(self) -> int:
        return len(self.vis2)


@dataclass(frozen=True)
class DiscFit:
    model: str  # "uniform disc" or "limb-darkened disc"
    diameter: float  # mas
    error: float  # mas, from the covariance, scaled by sqrt(reduced chi2) when that is above 1
    reduced_chi2: float
    points: int
    wavelength_min: float  # micrometres
    wavelength_max: float  # micrometres
    mu: float | None = None  # the linear coefficient of a limb-darkened disc
    mu_is_default: bool = False  # True when the row gave none and DEFAULT_MU was used
    error_scaled: bool = False  # True when the error was scaled up by sqrt(reduced chi2)


@dataclass(frozen=True)
class Fits:
    """What the worker keeps of the files of one row."""

    uniform: DiscFit
    limb_darkened: DiscFit
    targets: tuple[str, ...]
    files: tuple[str, ...]


def read_vis2(path: str | Path | BinaryIO, name: str | None = None) -> Vis2Points:
    """The usable VIS2 points of one file (a path, or its bytes as a file object: the worker's,
    from the database); ``name`` is how the file is named to people (its uploaded name), the
    path's own name otherwise."""
    name = name or (Path(path).name if isinstance(path, str | Path) else "the file")
    vis2, error, u, v, wavelength, ids = [], [], [], [], [], []
    try:
        with fits.open(path, memmap=False) as hdus:
            waves = {
                _text(hdu.header.get("INSNAME")): np.asarray(hdu.data["EFF_WAVE"], float)
                for hdu in hdus[1:]
                if hdu.name == "OI_WAVELENGTH" and hdu.data is not None
            }
            names = _target_names(hdus)
            for hdu in hdus[1:]:
                if hdu.name != "OI_VIS2" or hdu.data is None or len(hdu.data) == 0:
                    continue
                lam = waves.get(_text(hdu.header.get("INSNAME")))
                data = hdu.data
                if lam is None or np.shape(data["VIS2DATA"])[-1:] != lam.shape:
                    continue  # validate names it; no frequency can be given to these points
                rows = len(data)
                shape = (rows, lam.size)
                flag = _flags(data, shape)
                ucoord = np.broadcast_to(np.asarray(data["UCOORD"], float)[:, None], shape)
                vcoord = np.broadcast_to(np.asarray(data["VCOORD"], float)[:, None], shape)
                lams = np.broadcast_to(lam[None, :], shape)
                values = np.asarray(data["VIS2DATA"], float).reshape(shape)
                errors = np.asarray(data["VIS2ERR"], float).reshape(shape)
                baseline = np.hypot(ucoord, vcoord)
                keep = (
                    ~flag
                    & np.isfinite(values)
                    & np.isfinite(errors)
                    & (errors > 0)
                    & np.isfinite(lams)
                    & (lams > 0)
                    & np.isfinite(baseline)
                    & (baseline > 0)
                )
                vis2.append(values[keep])
                error.append(errors[keep])
                u.append(ucoord[keep])
                v.append(vcoord[keep])
                wavelength.append(lams[keep])
                if "TARGET_ID" in data.columns.names:
                    ids.append(np.broadcast_to(np.asarray(data["TARGET_ID"])[:, None], shape)[keep])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NoPoints(f"{name}: cannot be read as OIFITS ({exc}); validate it first.") from exc
    if not vis2 or sum(len(part) for part in vis2) == 0:
        raise NoPoints(f"{name}: no usable squared visibility (OI_VIS2) to fit.")
    used = {int(i) for i in np.concatenate(ids)} if ids else set()
    targets = sorted({names[i] for i in used if i in names} or set(names.values()))
    return Vis2Points(
        np.concatenate(vis2), np.concatenate(error), np.concatenate(u), np.concatenate(v),
        np.concatenate(wavelength), (name,), tuple(targets),
    )  # fmt: skip


def gather(files: Iterable[tuple[str | Path, str]]) -> Vis2Points:
    """The points of several files of one row, fitted together: (path, name) pairs."""
    return join([read_vis2(path, name) for path, name in files])


def join(parts: list[Vis2Points]) -> Vis2Points:
    """The points of several files, already read, as one set (the worker reads each file once
    for its own chart and fits them together)."""
    if not parts:
        raise NoPoints("no file to fit.")
    targets = sorted({t for part in parts for t in part.targets})

    def joined(name: str) -> np.ndarray:
        return np.concatenate([getattr(part, name) for part in parts])

    return Vis2Points(
        vis2=joined("vis2"), error=joined("error"), u=joined("u"), v=joined("v"),
        wavelength=joined("wavelength"), files=tuple(f for p in parts for f in p.files),
        targets=tuple(targets),
    )  # fmt: skip


def uniform_disc_vis2(diameter_mas: float | np.ndarray, frequency: np.ndarray) -> np.ndarray:
    """V² of a uniform disc: (2 J1(x) / x)², x = pi theta B / lambda."""
    x = np.pi * np.asarray(diameter_mas)[..., None] * MAS * frequency
    return (2 * j1(x) / x) ** 2


def limb_darkened_vis2(
    diameter_mas: float | np.ndarray, frequency: np.ndarray, mu: float
) -> np.ndarray:
    """V² of a disc darkened by the linear law I(m) = 1 - mu (1 - m), m = cos of the angle to
    the line of sight (Hanbury Brown, Davis, Lake & Thompson 1974, MNRAS 167, 475):
    V = [(1 - mu) J1(x)/x + mu sqrt(pi/2) J_3/2(x)/x^3/2] / [(1 - mu)/2 + mu/3].
    sqrt(pi/2) J_3/2(x) / x^3/2 is the spherical Bessel j1(x) / x = (sin x / x - cos x) / x²,
    written out: a half-integer Bessel function is elementary, and SciPy's spherical_jn costs
    three times more on the grid of starting diameters (tests/curation/oifits/test_fit.py holds
    the two equal)."""
    x = np.pi * np.asarray(diameter_mas)[..., None] * MAS * frequency
    spherical_j1_over_x = (np.sin(x) / x - np.cos(x)) / x**2
    visibility = ((1 - mu) * j1(x) / x + mu * spherical_j1_over_x) / ((1 - mu) / 2 + mu / 3)
    return visibility**2


def fit_uniform_disc(points: Vis2Points) -> DiscFit:
    return _fit(points, "uniform disc", uniform_disc_vis2)


def fit_limb_darkened_disc(points: Vis2Points, mu: float | None = None) -> DiscFit:
    """``mu`` is a linear limb-darkening coefficient (0 <= mu < 1); DEFAULT_MU when None."""
    if mu is not None and not 0 <= mu < 1:
        raise ValueError(
            f"mu = {mu} is not a linear limb-darkening coefficient (0 to 1); "
            "a MU_LAMBDA of 1 or more is an LD/UD ratio: multiply the uniform disc by it instead."
        )
    used = DEFAULT_MU if mu is None else mu
    fitted = _fit(points, "limb-darkened disc", lambda d, f: limb_darkened_vis2(d, f, used))
    return DiscFit(**{**fitted.__dict__, "mu": used, "mu_is_default": mu is None})


def fit_files(files: Iterable[tuple[str | Path, str]], mu: float | None = None) -> Fits:
    """Both discs fitted to the points of a row's files together."""
    return fit_points(gather(files), mu)


def fit_points(points: Vis2Points, mu: float | None = None) -> Fits:
    """Both discs fitted to points already read."""
    return Fits(
        uniform=fit_uniform_disc(points),
        limb_darkened=fit_limb_darkened_disc(points, mu),
        targets=points.targets,
        files=points.files,
    )


def _fit(points: Vis2Points, model: str, vis2_of) -> DiscFit:
    frequency = points.spatial_frequency
    n = len(points)
    if n < 2:
        raise NoPoints(
            f"{', '.join(points.files)}: {n} usable squared visibility, a fit needs 2 or more."
        )

    def residuals(p: np.ndarray) -> np.ndarray:
        return (vis2_of(p[0], frequency) - points.vis2) / points.error

    # From a hundredth of the longest baseline's resolution to 5 times the diameter whose first
    # null (x = 3.83) falls at the shortest baseline: beyond it every point is past the first null.
    smallest = 0.01 / (frequency.max() * MAS)
    largest = 5 * 3.8317 / (np.pi * frequency.min() * MAS)
    grid = np.geomspace(smallest, largest, GRID_SIZE)
    chi2 = (((vis2_of(grid, frequency) - points.vis2) / points.error) ** 2).sum(axis=1)
    start = grid[int(np.argmin(chi2))]
    solution = least_squares(residuals, [start], x_scale=[start], method="lm")
    diameter = abs(float(solution.x[0]))  # the models are even in the diameter
    dof = n - 1
    reduced = float(2 * solution.cost / dof) if dof else math.nan
    jac = solution.jac
    variance = float(np.linalg.pinv(jac.T @ jac)[0, 0])
    error = math.sqrt(variance) if variance > 0 else math.nan
    scaled = reduced > 1
    if scaled:
        error *= math.sqrt(reduced)
    return DiscFit(
        model=model, diameter=diameter, error=error, reduced_chi2=reduced, points=n,
        wavelength_min=float(points.wavelength.min() * 1e6),
        wavelength_max=float(points.wavelength.max() * 1e6),
        error_scaled=scaled,
    )  # fmt: skip


def _flags(data, shape: tuple[int, int]) -> np.ndarray:
    """FLAG as booleans; a missing FLAG flags nothing, a numeric one flags what is not zero
    (deviations validate warns of)."""
    if "FLAG" not in data.columns.names:
        return np.zeros(shape, bool)
    flag = np.asarray(data["FLAG"])
    if flag.shape != shape:
        flag = (
            np.broadcast_to(flag.reshape(len(flag), -1)[:, :1], shape)
            if flag.size
            else np.zeros(shape)
        )
    return flag.astype(bool)


def _target_names(hdus: fits.HDUList) -> dict[int, str]:
    for hdu in hdus[1:]:
        if hdu.name == "OI_TARGET" and hdu.data is not None:
            names = hdu.data.columns.names
            if "TARGET_ID" in names and "TARGET" in names:
                return {
                    int(i): _text(t)
                    for i, t in zip(hdu.data["TARGET_ID"], hdu.data["TARGET"], strict=True)
                }
    return {}


def _text(value) -> str:
    return str(value).strip() if value is not None else ""
