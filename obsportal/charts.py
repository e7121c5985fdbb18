"""The exposures' charts (Vega-Lite specifications, lib/charts.py draws them): the (u,v)
coverage of a star's exposures, the (u,v) tracks of one exposure, and the exposures' timeline
by instrument.

The (u,v) plane from what the ESO headers store (obsportal/headers.py): each baseline's
projected length B (``ISS.PBLij``, metres) and orientation PA (``ISS.PBLAij``, degrees), at the
start and at the end of the exposure. ESO's PA is the position angle of the projected baseline,
from north through east, so ``u = B sin PA`` (east) and ``v = B cos PA`` (north). The axes are in
metres, not in wavelengths: one exposure spans a band (em_min..em_max) and the instruments of
one star observe different bands, so metres are the one unit in which they share a plane (a
point in Mλ is B/λ for each wavelength of the band). A baseline measures the same Fourier
component at (u,v) and (-u,-v): both are drawn.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

import altair as alt

from lib.charts import Shape, SpecText

from .filters import date_of_mjd
from .models import Exposure

UV_SIZE = 320  # pixels: the (u,v) plane is square so that a circle looks round
TIMELINE_WIDTH = 560
# Each chart's rows by name, filled into a shape built once (lib.charts.Shape); a reader finds
# them in the browser as view.data("exposures").
DATASET = "exposures"


def uv_point(length: float | None, angle: float | None) -> tuple[float, float] | None:
    """(u, v) in metres of a projected baseline, or None where the header lacked either."""
    if length is None or angle is None:
        return None
    pa = math.radians(angle)
    return length * math.sin(pa), length * math.cos(pa)


def _middle(pair: list) -> float | None:
    values = [value for value in pair if value is not None]
    return sum(values) / len(values) if values else None


def _extent(rows: list[dict[str, Any]]) -> float:
    reach = max((max(abs(r["u"]), abs(r["v"])) for r in rows), default=0.0)
    return max(10.0, math.ceil(reach / 10.0) * 10.0)


def _uv_axes(extent: float) -> tuple[alt.X, alt.Y]:
    # Symmetric and equal on both axes: the plane is round and centred on (0, 0).
    scale = alt.Scale(domain=[-extent, extent], nice=False)
    return (
        alt.X("u:Q", title="u (m, towards east)", scale=scale),
        alt.Y("v:Q", title="v (m, towards north)", scale=scale),
    )


def uv_coverage_rows(exposures: Iterable[Exposure]) -> list[dict[str, Any]]:
    """One point pair per baseline per exposure, at the middle of the exposure: (u,v) and its
    mirror (-u,-v). A baseline whose header lacked its length or angle has no point."""
    rows = []
    for exposure in exposures:
        for pair, baseline in sorted(exposure.baselines.items()):
            point = uv_point(_middle(baseline["length"]), _middle(baseline["angle"]))
            if point is None:
                continue
            u, v = point
            for sign in (1, -1):
                rows.append({
                    "u": round(sign * u, 3), "v": round(sign * v, 3),
                    "instrument": exposure.instrument, "baseline": pair,
                    "exposure": exposure.exp_id,
                    "label": f"{exposure.exp_id} {pair} ({exposure.instrument})"
                    + ("" if sign > 0 else ", mirrored"),
                })  # fmt: skip
    return rows


def uv_coverage(exposures: Iterable[Exposure]) -> SpecText:
    """The (u,v) coverage of these exposures, coloured by instrument."""
    rows = uv_coverage_rows(exposures)
    return _coverage_shape(_extent(rows)).filled({DATASET: rows})


# Extents are multiples of 10 m: a few shapes (bounded: an absurd header makes its own extent).
@lru_cache(maxsize=64)
def _coverage_shape(extent: float) -> Shape:
    return Shape(altair_coverage([], extent))


def altair_coverage(rows: list[dict[str, Any]], extent: float) -> dict[str, Any]:
    x, y = _uv_axes(extent)
    chart = (
        alt.Chart(alt.InlineData(values=rows, name=DATASET))
        .mark_point(filled=True, size=30, opacity=0.8)
        .encode(
            x=x,
            y=y,
            color=alt.Color("instrument:N", title="Instrument"),
            description=alt.Description("label:N"),
        )
        .properties(width=UV_SIZE, height=UV_SIZE)
    )
    return chart.to_dict()


def uv_tracks_rows(exposure: Exposure) -> list[dict[str, Any]]:
    """Each baseline's track from the start to the end of the exposure, and its mirror; a
    baseline missing a length or an angle at either end has no track."""
    rows = []
    for pair, baseline in sorted(exposure.baselines.items()):
        (l0, l1), (a0, a1) = baseline["length"], baseline["angle"]
        start, end = uv_point(l0, a0), uv_point(l1, a1)
        if start is None or end is None:
            continue
        for sign, side in ((1, ""), (-1, ", mirrored")):
            rows.append({
                "u": round(sign * start[0], 3), "v": round(sign * start[1], 3),
                "u2": round(sign * end[0], 3), "v2": round(sign * end[1], 3),
                "baseline": pair, "label": f"{pair} track{side}",
                "start_label": f"{pair} start{side}",
            })  # fmt: skip
    return rows


def uv_tracks(rows: list[dict[str, Any]]) -> SpecText:
    """One exposure's (u,v) tracks (its ``uv_tracks_rows``): a segment per baseline from its
    start to its end (and the mirrored one), the start marked by a dot, coloured by baseline."""
    return _tracks_shape(_tracks_extent(rows)).filled({DATASET: rows})


def _tracks_extent(rows: list[dict[str, Any]]) -> float:
    return _extent(rows + [{"u": r["u2"], "v": r["v2"]} for r in rows])


@lru_cache(maxsize=64)
def _tracks_shape(extent: float) -> Shape:
    return Shape(altair_tracks([], extent))


def altair_tracks(rows: list[dict[str, Any]], extent: float) -> dict[str, Any]:
    x, y = _uv_axes(extent)
    base = alt.Chart(alt.InlineData(values=rows, name=DATASET))
    color = alt.Color("baseline:N", title="Baseline")
    track = base.mark_rule(strokeWidth=3).encode(
        x=x, y=y, x2="u2:Q", y2="v2:Q", color=color, description=alt.Description("label:N")
    )
    start = base.mark_point(filled=True, size=40).encode(
        x=x, y=y, color=color, description=alt.Description("start_label:N")
    )
    return alt.layer(track, start).properties(width=UV_SIZE, height=UV_SIZE).to_dict()


def timeline_rows(exposures: Iterable[Exposure]) -> list[dict[str, Any]]:
    return [
        {
            "ut": f"{date_of_mjd(e.mjd_start):%Y-%m-%dT%H:%M:%S}Z",
            "instrument": e.instrument,
            "label": f"{e.exp_id}, {e.instrument}, {date_of_mjd(e.mjd_start):%Y-%m-%d %H:%M} UT "
            f"(MJD {e.mjd_start:.5f})",
        }
        for e in exposures
    ]


def timeline(exposures: Iterable[Exposure]) -> SpecText:
    """When each exposure started (UT), one row per instrument."""
    return _timeline_shape().filled({DATASET: timeline_rows(exposures)})


@cache
def _timeline_shape() -> Shape:
    return Shape(altair_timeline([]))


def altair_timeline(rows: list[dict[str, Any]]) -> dict[str, Any]:
    chart = (
        alt.Chart(alt.InlineData(values=rows, name=DATASET))
        .mark_tick(thickness=2)
        .encode(
            # UTC: the browser would otherwise shift the dates to its own time zone.
            x=alt.X(
                "ut:T",
                title="Start (UT)",
                scale=alt.Scale(type="utc"),
                axis=alt.Axis(format="%Y-%m-%d", formatType="utc", labelAngle=-30),
            ),
            y=alt.Y("instrument:N", title="Instrument"),
            color=alt.Color("instrument:N", legend=None),
            description=alt.Description("label:N"),
        )
        .properties(width=TIMELINE_WIDTH)
    )
    return chart.to_dict()


# The newest exposures of a star that its charts show: a calibrator can have thousands, and a
# chart of thousands of points is slow to draw and no easier to read.
STAR_CHART_EXPOSURES = 500


def star_exposure_charts(exposures) -> dict[str, Any]:
    """What templates/includes/star_exposure_charts.html shows of a star's exposures (a
    queryset, visible to the reader): its (u,v) coverage and timeline, from the newest
    ``STAR_CHART_EXPOSURES``, in two queries."""
    shown = list(
        exposures.order_by("-mjd_start").only(
            "exp_id", "instrument", "mjd_start", "mjd_end", "baselines"
        )[:STAR_CHART_EXPOSURES]
    )
    total = len(shown) if len(shown) < STAR_CHART_EXPOSURES else exposures.count()
    instruments = sorted({e.instrument for e in shown})
    return {
        "count": total,
        "shown": len(shown),
        "instruments": instruments,
        # Most stars have no exposure: the template shows no chart then.
        "coverage": uv_coverage(shown) if shown else None,
        "timeline": timeline(shown) if shown else None,
    }
