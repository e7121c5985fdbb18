"""The star page's charts of its measured diameters (Vega-Lite specifications built with
Altair, drawn by the browser and by the server alike: lib/charts.py): the diameters against
the wavelength of the observation and against the year of publication, the photometric
prediction as a band behind them.

A measurement gives a UD diameter, an LD diameter or both: each value is one point (UD and LD
are two series), with the row's E_LD_DIAM as its error bar (the column's error is that of
either diameter, jmdc/columns.py). Every point says its bibcode, band and notes on hover and in
its accessible description, and leads to the measurement's page (its history) when clicked."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from typing import Any

import altair as alt
from django.urls import reverse

from lib.charts import Shape, SpecText

from .columns import band_wavelength
from .models import Measurement, Method
from .predictions import Prediction

# The series, in the order of the legend: how each diameter is drawn.
SERIES = {"LD": "limb-darkened (LD)", "UD": "uniform disk (UD)"}
NO_METHOD = "method not recorded"
DATASET = "diameters"
METHODS = [label for _, label in Method.choices] + [NO_METHOD]


def publication_year(bibcode: str) -> int | None:
    """The year a bibcode starts with (ADS and the catalogue's pseudo-bibcodes alike), None
    for the 19 dots of a reference without a year."""
    head = bibcode[:4]
    return int(head) if head.isdigit() else None


def diameter_points(measurements: Iterable[Measurement]) -> list[dict[str, Any]]:
    """One point per diameter given (a row with UD and LD gives two), with what its tooltip,
    description and link say."""
    points = []
    # One reverse() for the chart rather than one a diameter: /measurement/<pk>/ by its prefix.
    measurement_address = reverse("jmdc:measurement", args=[0]).removesuffix("0/")
    for m in measurements:
        method = Method(m.method).label if m.method else NO_METHOD
        error = m.e_ld_diam if m.e_ld_diam is not None and m.e_ld_diam > 0 else None
        wavelength = band_wavelength(m.band or "")
        year = publication_year(m.bibcode)
        for series, value in (("LD", m.ld_diam), ("UD", m.ud_diam)):
            # A zero or negative diameter is the legacy file's "none" (-1.0), not a size.
            if value is None or value <= 0:
                continue
            told = f"{series} {value:g} ± {error:g} mas" if error else f"{series} {value:g} mas"
            where = f"at {wavelength:g} µm (band {m.band})" if wavelength else "band unknown"
            points.append(
                {
                    "measurement": m.pk,
                    "series": SERIES[series],
                    "diameter": value,
                    "low": value - error if error else value,
                    "high": value + error if error else value,
                    "error": error if error else "none given",
                    "wavelength": wavelength,
                    "year": year,
                    "band": m.band or "none given",
                    "method": method,
                    "bibcode": m.bibcode,
                    "notes": m.notes or "none",
                    "url": f"{measurement_address}{m.pk}/",
                    "description": f"{told} {where}, {method}, {m.bibcode}"
                    + (f" ({year})" if year else ""),
                }
            )
    return points


def _prediction_row(prediction: Prediction) -> dict[str, Any]:
    return {
        "ldd": prediction.ldd,
        "low": prediction.ldd - prediction.e_ldd,
        "high": prediction.ldd + prediction.e_ldd,
        "description": f"Predicted LD diameter {prediction} from {prediction.source_words}",
    }


def _prediction_band(row: dict[str, Any]) -> list[alt.Chart]:
    """The prediction behind the points: its value ± its error as a shaded band, and a line
    at its value."""
    data = alt.InlineData(values=[row], name=PREDICTION_DATASET)
    band = (
        alt.Chart(data)
        .mark_rect(color="#999999", opacity=0.25)
        .encode(
            y=alt.Y("low:Q"),
            y2="high:Q",
            description="description:N",
            tooltip=alt.Tooltip("description:N", title="Prediction"),
        )
    )
    line = (
        alt.Chart(data)
        .mark_rule(color="#666666", strokeDash=[4, 3])
        .encode(y="ldd:Q", description="description:N")
    )
    return [band, line]


PREDICTION_DATASET = "prediction"
# Each chart's x axis: (its encoding, its title).
AXES = {
    "wavelength": (
        lambda: alt.X("wavelength:Q", title="Wavelength (µm)").scale(type="log"),
        "Diameter against wavelength",
    ),
    "year": (
        lambda: alt.X("year:Q", title="Year of publication").axis(format="d").scale(zero=False),
        "Diameter against year of publication",
    ),
}


def altair_chart(
    points: list[dict[str, Any]], prediction_row: dict[str, Any] | None, axis: str
) -> dict[str, Any]:
    """The chart built by Altair from these points (and the prediction's row): what the page
    shows, but Altair validates every encoding against the Vega-Lite schema, ~80 ms a chart
    on this machine; the page fills a copy built once (``_shape``) instead."""
    x = AXES[axis][0]()
    y = alt.Y("diameter:Q", title="Angular diameter (mas)").scale(zero=False)
    tooltip = [
        alt.Tooltip("series:N", title="Diameter"),
        alt.Tooltip("diameter:Q", title="mas", format=".4~f"),
        alt.Tooltip("error:N", title="±"),
        alt.Tooltip("band:N", title="Band"),
        alt.Tooltip("method:N", title="Method"),
        alt.Tooltip("bibcode:N", title="Bibcode"),
        alt.Tooltip("notes:N", title="Notes"),
    ]
    # One colour per method, the same in every chart of the page (the domain fixed).
    colour = alt.Color("method:N", title="Method").scale(domain=METHODS)
    # Error bars are not read out (aria=False): only the points are, one per diameter.
    error_bars = (
        alt.Chart()
        .mark_rule(opacity=0.6, aria=False)
        .encode(x=x, y=alt.Y("low:Q"), y2="high:Q", color=colour)
    )
    markers = (
        alt.Chart()
        .mark_point(filled=True, size=60, opacity=0.85)
        .encode(
            x=x,
            y=y,
            color=colour,
            shape=alt.Shape("series:N", title="Diameter").scale(
                domain=list(SERIES.values()), range=["circle", "square"]
            ),
            tooltip=tooltip,
            description="description:N",
            href="url:N",
        )
    )
    prediction = _prediction_band(prediction_row) if prediction_row is not None else []
    layers = [*prediction, error_bars, markers]
    # The points by name, so that a reader (and the browser tests) finds them in the view:
    # figure.vegaView.data("diameters").
    data = alt.InlineData(values=points, name=DATASET)
    chart = alt.layer(*layers, data=data).properties(
        width="container",
        height=280,
        title=AXES[axis][1],
        autosize=alt.AutoSizeParams(type="fit-x"),
    )
    return chart.configure_legend(orient="bottom", columns=2).to_dict()


@cache
def _shape(axis: str, predicted: bool) -> Shape:
    """The chart without its data: only its data changes from star to star."""
    return Shape(altair_chart([], {} if predicted else None, axis))


def _diameter_chart(
    points: list[dict[str, Any]], prediction: Prediction | None, axis: str
) -> SpecText:
    """The chart of the points placed on ``axis`` (their ``axis`` key is not None)."""
    data = {DATASET: [p for p in points if p[axis] is not None]}
    if prediction is not None:
        data[PREDICTION_DATASET] = [_prediction_row(prediction)]
    return _shape(axis, prediction is not None).filled(data)


def star_charts_json(
    measurements: Iterable[Measurement], prediction: Prediction | None
) -> tuple[SpecText, SpecText]:
    """The star page's two charts, as it writes them (JSON), from one list of points: the
    diameters against the wavelength of their BAND (log scale, microns), where a point whose
    BAND names no wavelength is left out (the page says how many), and against the year of
    their publication (the bibcode's)."""
    points = diameter_points(measurements)
    return (
        _diameter_chart(points, prediction, "wavelength"),
        _diameter_chart(points, prediction, "year"),
    )


def diameter_against_wavelength(
    measurements: Iterable[Measurement], prediction: Prediction | None
) -> dict[str, Any]:
    """The page's wavelength chart as a specification (as ``star_charts_json`` writes it)."""
    return json.loads(_diameter_chart(diameter_points(measurements), prediction, "wavelength"))


def diameter_against_year(
    measurements: Iterable[Measurement], prediction: Prediction | None
) -> dict[str, Any]:
    """The page's year chart as a specification (as ``star_charts_json`` writes it)."""
    return json.loads(_diameter_chart(diameter_points(measurements), prediction, "year"))


def placed_at_a_wavelength(measurement: Measurement) -> bool:
    """Whether the wavelength chart shows this row (its BAND names a wavelength)."""
    return band_wavelength(measurement.band or "") is not None
