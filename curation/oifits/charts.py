"""The charts of a row's OIFITS data (Vega-Lite specifications built with Altair, drawn by
lib/charts.py's stack): V² against the spatial frequency with its error bars and the fitted
uniform and limb-darkened discs, and the (u,v) coverage of the data.

From what the worker stored (``OifitsFile.points``, ``OifitsFile.fit``): a page never opens a
FITS file. The frequency is B/λ in millions of cycles per radian (Mλ), the unit the
interferometrists' tools (LITpro, OIFITS Explorer) plot V² against; the (u,v) plane is in Mλ too,
each point at its own wavelength, and its mirror (-u,-v) drawn: a baseline measures both."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import numpy as np

from .fit import limb_darkened_vis2, uniform_disc_vis2

UV_SIZE = 300  # square, so that a circle looks round; fits a phone's 360 px with its axis
# The legends go under the charts: at their right, with a file's long name, they made a chart
# twice its plot's width, which a phone then shrank to half size, its labels unreadable.
LEGEND = alt.Legend(orient="bottom", direction="vertical", labelLimit=280)
CURVE_POINTS = 200


def vis2_rows(files: Sequence[Any]) -> list[dict[str, Any]]:
    """One row per point of each fitted file: frequency, V², its error bar, the file."""
    rows = []
    for stored in files:
        points = stored.points or {}
        for f, v, e, lam in zip(
            points.get("frequency", []), points.get("vis2", []), points.get("error", []),
            points.get("wavelength", []), strict=True,
        ):  # fmt: skip
            rows.append({
                "frequency": f, "vis2": v, "low": v - e, "high": v + e, "file": stored.name,
                "label": f"{stored.name}: V² {v:.4f} ± {e:.4f} at {f:.2f} Mλ ({lam:.3f} µm)",
            })  # fmt: skip
    return rows


def curve_rows(fit: dict[str, Any], largest: float) -> list[dict[str, Any]]:
    """The fitted discs' V² from 0 to the longest frequency measured."""
    frequency = np.linspace(largest / CURVE_POINTS, largest, CURVE_POINTS)  # Mλ
    rows = []
    uniform, limb = fit["uniform"], fit["limb_darkened"]
    curves = (
        (f"uniform disc {uniform['diameter']:.3f} mas", uniform_disc_vis2(uniform["diameter"], frequency * 1e6)),
        (
            f"limb-darkened disc {limb['diameter']:.3f} mas (mu {limb['mu']:g})",
            limb_darkened_vis2(limb["diameter"], frequency * 1e6, limb["mu"]),
        ),
    )  # fmt: skip
    for label, values in curves:
        rows.extend(
            {"frequency": round(float(f), 4), "vis2": round(float(v), 6), "model": label}
            for f, v in zip(frequency, values, strict=True)
        )
    return rows


def vis2_chart(files: Sequence[Any]) -> dict[str, Any] | None:
    """V² against B/λ, the points with their error bars by file, the two fitted curves."""
    points = vis2_rows(files)
    fitted = next((f.fit for f in files if f.fit), None)
    if not points or fitted is None:
        return None
    x = alt.X("frequency:Q", title="spatial frequency B/λ (Mλ)")
    y = alt.Y("vis2:Q", title="squared visibility V²")
    base = alt.Chart(alt.NamedData(name="points"))
    bars = base.mark_rule(opacity=0.5).encode(
        x=x, y="low:Q", y2="high:Q", color=alt.Color("file:N", title="File", legend=LEGEND)
    )
    dots = base.mark_point(filled=True, size=25).encode(
        x=x, y=y, color=alt.Color("file:N", title="File", legend=LEGEND), description=alt.Description("label:N"),
        tooltip=[alt.Tooltip("label:N", title="point")],
    )  # fmt: skip
    largest = max(p["frequency"] for p in points)
    curves = (
        alt.Chart(alt.NamedData(name="curves"))
        .mark_line()
        .encode(
            x=x,
            y=y,
            # Inside the plot's lower left, empty under any visibility curve: beside
            # the files' legend below it would run off a phone's screen.
            strokeDash=alt.StrokeDash(
                "model:N", title="Fitted", legend=alt.Legend(orient="bottom-left", labelLimit=280)
            ),
            description=alt.Description("model:N"),
        )
    )
    # As wide as its box (the page's width on a phone, static/jmdc/charts.js).
    spec = alt.layer(bars, dots, curves).properties(width="container", height=280).to_dict()
    return _with_data(spec, points=points, curves=curve_rows(fitted, largest))


def uv_rows(files: Sequence[Any]) -> list[dict[str, Any]]:
    rows = []
    for stored in files:
        points = stored.points or {}
        for u, v, lam in zip(
            points.get("u", []), points.get("v", []), points.get("wavelength", []), strict=True
        ):
            # metres / µm = millions of wavelengths (Mλ)
            for sign, side in ((1, ""), (-1, ", mirrored")):
                rows.append({
                    "u": round(sign * u / lam, 3), "v": round(sign * v / lam, 3), "file": stored.name,
                    "label": f"{stored.name}: ({u:.1f} m, {v:.1f} m) at {lam:.3f} µm{side}",
                })  # fmt: skip
    return rows


def uv_chart(files: Sequence[Any]) -> dict[str, Any] | None:
    """The (u,v) coverage of the points, in Mλ, each at its wavelength, and the mirrors."""
    rows = uv_rows(files)
    if not rows:
        return None
    reach = max(max(abs(r["u"]), abs(r["v"])) for r in rows)
    extent = max(1.0, float(np.ceil(reach * 1.05)))
    scale = alt.Scale(domain=[-extent, extent], nice=False)
    chart = (
        alt.Chart(alt.NamedData(name="uv"))
        .mark_point(filled=True, size=12, opacity=0.7)
        .encode(
            x=alt.X("u:Q", title="u (Mλ, towards east)", scale=scale),
            y=alt.Y("v:Q", title="v (Mλ, towards north)", scale=scale),
            color=alt.Color("file:N", title="File", legend=LEGEND),
            description=alt.Description("label:N"),
        )
        .properties(width=UV_SIZE, height=UV_SIZE)
    )
    return _with_data(chart.to_dict(), uv=rows)


def _with_data(spec: dict[str, Any], **datasets: list[dict[str, Any]]) -> dict[str, Any]:
    # The points join the specification as Vega-Lite's named datasets after Altair has built
    # it: given to Altair, each of their hundreds of values would be walked through its schema
    # classes, a second and a half for one row's two charts (0.15 s this way, mostly Altair's
    # validation of the specification).
    spec["datasets"] = datasets
    return spec
