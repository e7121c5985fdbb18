"""The catalogue as a whole (/statistics): measurements per publication year by method, per
band, the stars on the sky, the catalogue's growth across its releases, and the angular
diameter against V-K colour with the rows far from their photometric prediction marked.

A page of the project package because it reads the catalogue's rows and, for the sky, offers
CDS's Aladin Lite beside its own static chart. Everything is counted from the rows the reader
may see (``Measurement.objects.visible_to``), in a fixed number of queries whatever the size of
the catalogue; the charts are Vega-Lite specifications (lib/charts.py).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import altair as alt
from csp.decorators import csp_update
from django.db.models import Count
from django.db.models.functions import Substr
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jmdc.models import BandCode, Measurement, Method, Release, SourceFacts, Star
from jmdc.predictions import PREDICTION_SIGMAS, compare, predictions_of

WIDTH = 560

# Aladin Lite v3 as CDS documents it for embedding: its script from CDS, its survey images
# (HiPS tiles) and their lists from CDS's hosts. It runs WebAssembly ('wasm-unsafe-eval', which
# allows compiling WebAssembly, not JavaScript's eval) and injects its own stylesheet (style
# only, never script). This page alone is widened so; the page works without any of it.
ALADIN_SCRIPT = "https://aladin.cds.unistra.fr/AladinLite/api/v3/latest/aladin.js"
CDS_HOSTS = ["https://*.cds.unistra.fr", "https://*.u-strasbg.fr"]
ALADIN_POLICY = {
    "script-src": ["https://aladin.cds.unistra.fr", "'wasm-unsafe-eval'"],
    "style-src": ["https://aladin.cds.unistra.fr", "'unsafe-inline'"],
    "img-src": [*CDS_HOSTS, "data:", "blob:"],
    "connect-src": CDS_HOSTS,
    "worker-src": ["'self'", "blob:"],
}

# How the V-K chart names where a row stands against its star's prediction.
FAR, NEAR, UNPREDICTED = (
    f"more than {PREDICTION_SIGMAS:g} sigma from the prediction",
    f"within {PREDICTION_SIGMAS:g} sigma of the prediction",
    "no prediction to compare with",
)
# Where SIMBAD and the cross-match both give V and K, SIMBAD's are shown (as on the star page).
MAGNITUDE_SOURCES = (SourceFacts.Source.SIMBAD, SourceFacts.Source.CROSSMATCH)


def per_year_and_method(visible) -> list[dict[str, Any]]:
    """Measurements per publication year (the bibcode's first four characters) and method."""
    counted = (
        visible.annotate(year=Substr("bibcode", 1, 4))
        .values("year", "method")
        .annotate(n=Count("pk"))
        .order_by("year", "method")
    )
    methods = dict(Method.choices)
    return [
        {"year": row["year"], "method": methods.get(row["method"], "no method"), "count": row["n"]}
        for row in counted
        if row["year"].isdigit()
    ]


def per_band(visible) -> list[dict[str, Any]]:
    counted = visible.values("bandcode").annotate(n=Count("pk")).order_by("bandcode")
    bands = dict(BandCode.choices)
    return [
        {"band": bands.get(row["bandcode"], "no band code"), "order": row["bandcode"] or 99,
         "count": row["n"]}
        for row in counted
    ]  # fmt: skip


def _facts_by_star(star_ids) -> dict[int, dict[str, SourceFacts]]:
    facts: dict[int, dict[str, SourceFacts]] = {}
    for fact in SourceFacts.objects.filter(star_id__in=star_ids, source__in=MAGNITUDE_SOURCES).only(
        "star_id", "source", "ra", "dec", "v_mag", "k_mag"
    ):
        facts.setdefault(fact.star_id, {})[fact.source] = fact
    return facts


def _first(facts: dict[str, SourceFacts], field: str) -> float | None:
    for source in MAGNITUDE_SOURCES:
        fact = facts.get(source)
        if fact is not None and getattr(fact, field) is not None:
            return getattr(fact, field)
    return None


def sky_rows(stars, facts) -> list[dict[str, Any]]:
    """Each star at SIMBAD's position, else the cross-match's; a star with neither is left out
    (and counted by the page)."""
    rows = []
    for pk, name, ra, dec in stars:
        if ra is None or dec is None:
            ra, dec = _first(facts.get(pk, {}), "ra"), _first(facts.get(pk, {}), "dec")
        if ra is None or dec is None:
            continue
        # Right ascension grows to the east, to the left of a map of the sky seen from inside.
        rows.append({"lon": -(ra if ra <= 180 else ra - 360), "lat": dec, "ra": ra, "dec": dec,
                     "name": name, "label": f"{name} (RA {ra:.2f}, Dec {dec:.2f})"})  # fmt: skip
    return rows


def colour_rows(measurements, facts, predictions) -> list[dict[str, Any]]:
    """One point per row with an LD diameter (or a UD convertible with its MU_LAMBDA) whose
    star has V and K: the diameter the star would have at V = 0 (theta 10^(0.2 V)), against V-K,
    the surface-brightness relation's plane, marked by how far the row is from its prediction."""
    rows = []
    for _pk, star_id, name, ud, ld, e_ld, mu, bibcode in measurements:
        star_facts = facts.get(star_id, {})
        v, k = _first(star_facts, "v_mag"), _first(star_facts, "k_mag")
        if v is None or k is None:
            continue
        prediction = predictions.get(star_id)
        comparison = compare(ud=ud, ld=ld, e_ld=e_ld, mu_lambda=mu, prediction=prediction)
        diameter = comparison.measured if comparison else ld
        if diameter is None or diameter <= 0:
            continue
        if comparison is None:
            standing = UNPREDICTED
        else:
            standing = FAR if comparison.sigmas > PREDICTION_SIGMAS else NEAR
        rows.append({
            "colour": round(v - k, 3), "theta0": diameter * 10 ** (0.2 * v),
            "standing": standing, "far": standing == FAR,
            "label": f"{name} {bibcode}: LD {diameter:.3f} mas, V-K {v - k:.2f} ({standing})",
        })  # fmt: skip
    return rows


def release_rows(releases) -> list[dict[str, Any]]:
    rows = []
    for version, date, row_count, star_count in releases:
        for what, count in (("rows", row_count), ("stars", star_count)):
            rows.append({"date": date.isoformat(), "version": version, "what": what,
                         "count": count, "label": f"{version} ({date:%Y-%m-%d}): {count} {what}"})  # fmt: skip
    return rows


# -- the charts ------------------------------------------------------------------------------
# Each chart's rows are a named dataset, given to the specification after Altair has checked it:
# Altair checks inline rows one by one against the schema, which took 0.43 s of the page's
# 0.52 s for the 1766 rows of the 2020 catalogue.
ROWS = alt.Data(name="rows")


def with_rows(chart: alt.TopLevelMixin, rows: list[dict[str, Any]]) -> dict[str, Any]:
    spec = chart.to_dict()
    spec["datasets"] = {"rows": rows}
    return spec


def year_chart(rows) -> dict[str, Any]:
    chart = (
        alt.Chart(ROWS)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="Publication year"),
            y=alt.Y("count:Q", title="Measurements", stack="zero"),
            color=alt.Color("method:N", title="Method", legend=alt.Legend(orient="bottom")),
            description=alt.Description("label:N"),
        )
        .transform_calculate(label="datum.year + ', ' + datum.method + ': ' + datum.count")
        .properties(width=WIDTH)
    )
    return with_rows(chart, rows)


def band_chart(rows) -> dict[str, Any]:
    chart = (
        alt.Chart(ROWS)
        .mark_bar()
        .encode(
            x=alt.X("band:N", title="Band", sort=alt.EncodingSortField("order")),
            y=alt.Y("count:Q", title="Measurements"),
            description=alt.Description("label:N"),
        )
        .transform_calculate(label="datum.band + ': ' + datum.count")
        .properties(width=WIDTH / 2)
    )
    return with_rows(chart, rows)


def sky_chart(rows) -> dict[str, Any]:
    """The stars on an all-sky equal-area projection (Equal Earth: Vega-Lite's schema has no Mollweide) in equatorial coordinates, RA 0h at the
    centre growing to the left; a graticule every 30 degrees. Drawn from the page's data alone,
    so it is there when CDS (Aladin Lite) is not."""
    projection = alt.Projection(type="equalEarth")
    sphere = alt.Chart(alt.SphereGenerator(sphere=True)).mark_geoshape(
        fill="#f4f7fb", stroke="#8a99a8"
    )
    grid = alt.Chart(alt.GraticuleGenerator(graticule={"step": [30, 30]})).mark_geoshape(
        stroke="#c8d2dc", strokeWidth=0.5, fill=None
    )
    stars = (
        alt.Chart(ROWS)
        .mark_circle(size=12, color="#16324f", opacity=0.8)
        .encode(longitude="lon:Q", latitude="lat:Q", description=alt.Description("label:N"))
    )
    chart = alt.layer(sphere, grid, stars).properties(
        width=WIDTH, height=WIDTH / 2, projection=projection
    )
    return with_rows(chart, rows)


def growth_chart(rows) -> dict[str, Any]:
    base = alt.Chart(ROWS).encode(
        x=alt.X("date:T", title="Release date"),
        y=alt.Y("count:Q", title="Rows and stars"),
        color=alt.Color("what:N", title=None, legend=alt.Legend(orient="bottom")),
    )
    line = base.mark_line()
    points = base.mark_point(filled=True).encode(description=alt.Description("label:N"))
    return with_rows(alt.layer(line, points).properties(width=WIDTH), rows)


def colour_chart(rows) -> dict[str, Any]:
    chart = (
        alt.Chart(ROWS)
        .mark_point(filled=True, size=20)
        .encode(
            x=alt.X("colour:Q", title="V-K (mag)"),
            y=alt.Y(
                "theta0:Q", title="Angular diameter at V = 0 (mas)", scale=alt.Scale(type="log")
            ),
            color=alt.Color(
                "standing:N",
                title=None,
                legend=alt.Legend(orient="bottom"),
                scale=alt.Scale(
                    domain=[NEAR, FAR, UNPREDICTED], range=["#4c78a8", "#d62728", "#b0b8c0"]
                ),
            ),
            size=alt.condition("datum.far", alt.value(60), alt.value(20)),
            description=alt.Description("label:N"),
        )
        .properties(width=WIDTH)
    )
    return with_rows(chart, rows)


def catalogue_statistics(user) -> dict[str, Any]:
    """The page's data and charts for this reader, in seven queries."""
    visible = Measurement.objects.visible_to(user)
    years = per_year_and_method(visible)
    bands = per_band(visible)
    stars = list(
        Star.objects.filter(pk__in=visible.values("star_id"))
        .order_by("pk")
        .values_list("pk", "name", "ra", "dec")
    )
    star_ids = [pk for pk, *_ in stars]
    facts = _facts_by_star(visible.values("star_id"))
    predictions = predictions_of(star_ids)
    measurements = visible.order_by("pk").values_list(
        "pk", "star_id", "id1", "ud_diam", "ld_diam", "e_ld_diam", "mu_lambda", "bibcode"
    )
    colours = colour_rows(measurements, facts, predictions)
    releases = release_rows(
        Release.objects.visible_to(user)
        .filter(status=Release.Status.READY)
        .order_by("date", "pk")
        .values_list("version", "date", "row_count", "star_count")
    )
    sky = sky_rows(stars, facts)
    methods = Counter()
    for row in years:
        methods[row["method"]] += row["count"]
    return {
        "measurement_count": sum(row["count"] for row in bands),
        "star_count": len(stars),
        "placed_count": len(sky),
        "methods": sorted(methods.items()),
        "far_count": sum(1 for row in colours if row["far"]),
        "colour_count": len(colours),
        "release_count": len(releases) // 2,
        "sigmas": PREDICTION_SIGMAS,
        "sky_stars": [[round(r["ra"], 5), round(r["dec"], 5), r["name"]] for r in sky],
        "charts": {
            "years": year_chart(years),
            "bands": band_chart(bands),
            "sky": sky_chart(sky),
            "growth": growth_chart(releases),
            "colour": colour_chart(colours),
        },
    }


@csp_update(ALADIN_POLICY)
def statistics(request: HttpRequest) -> HttpResponse:
    context = catalogue_statistics(request.user)
    context["aladin_script"] = ALADIN_SCRIPT
    return render(request, "portal/statistics.html", context)
