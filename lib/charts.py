"""Charts, chosen once: Vega-Lite specifications (built in Python with Altair by the apps),
drawn in the browser by vega-embed and on the server by vl-convert, from the same
specification. The server's drawing serves the PDF exports and the tests that need no browser;
the browser's bundle is written into the static files at setup (``manage.py
build_chart_bundle``), so nothing is fetched from a CDN at run time and `make run` needs no npm.

Every version is pinned here in one place: the Vega-Lite that Altair writes (its schema), the one
vl-convert renders and bundles, so that a chart looks the same in both."""

from __future__ import annotations

import json
import re
from importlib.metadata import version
from typing import Any

import vl_convert
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# Altair 6.3 writes Vega-Lite 6.4 specifications (altair.SCHEMA_VERSION); vl-convert 1.9 renders
# and bundles 6.4 among others (vl_convert.get_vegalite_versions()).
VEGA_LITE = "6.4"

# Where the browser's bundle goes, relative to the static root, and the file recording which
# versions it holds.
BUNDLE = "vendor/vega/vega-bundle.js"
BUNDLE_VERSIONS = "vendor/vega/VERSIONS.txt"

# The server draws only the data inside the specification: no URL is ever fetched while
# rendering (a specification naming one fails instead of making the server a proxy).
NO_URLS: list[str] = []


def to_svg(spec: dict[str, Any] | str) -> str:
    """The chart drawn as SVG by the server (for PDFs, and for a page without JavaScript)."""
    return vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE, allowed_base_urls=NO_URLS)


def to_png(spec: dict[str, Any] | str, scale: float = 2) -> bytes:
    return vl_convert.vegalite_to_png(
        spec, vl_version=VEGA_LITE, scale=scale, allowed_base_urls=NO_URLS
    )


def marks(spec: dict[str, Any] | str) -> list[dict[str, Any]]:
    """Every mark item the server's drawing holds (points, bars, rules...), each with its
    position and its accessible ``description`` (Vega-Lite writes one per mark from the encoded
    fields, or from the ``description`` encoding): what a test counts and reads to know that a
    chart shows one mark per row, without pixels."""
    scenegraph = vl_convert.vegalite_to_scenegraph(
        spec, vl_version=VEGA_LITE, allowed_base_urls=NO_URLS
    )
    found: list[dict[str, Any]] = []

    def walk(node: Any, role: str = "") -> None:
        if isinstance(node, dict):
            role = node.get("role", role)
            if node.get("marktype") and role == "mark":
                found.extend(item for item in node.get("items", []) if isinstance(item, dict))
                return
            for value in node.values():
                walk(value, role)
        elif isinstance(node, list):
            for value in node:
                walk(value, role)

    walk(scenegraph)
    return found


class SpecText(str):
    """A specification already written as JSON (``Shape.filled``): ``spec_script`` writes it
    as it is."""


class Shape:
    """A chart built once by Altair without its data (its validation of the encodings against
    the schema costs ~80 ms a chart, the same for every star, while the data is all that
    differs), kept as the pieces of its JSON text around each named inline dataset's values.
    Filling it writes only the data: parsing and writing back the ~26 kB of the rest was ~1 ms
    of the star page for its two charts."""

    # Where the values of dataset number N go while the text is cut: a NUL character, which
    # Altair never writes. Cut once here, so that data that looks like a marker stays data.
    MARKER = re.compile(r'"\\u0000(\d+)"')

    def __init__(self, spec: dict[str, Any]) -> None:
        names: list[str] = []

        def mark(node: Any) -> Any:
            if isinstance(node, dict):
                if "name" in node and "values" in node:
                    if node["name"] not in names:
                        names.append(node["name"])
                    return {**node, "values": f"\0{names.index(node['name'])}"}
                return {key: mark(value) for key, value in node.items()}
            if isinstance(node, list):
                return [mark(value) for value in node]
            return node

        # Text, dataset name, text, dataset name, ..., text.
        self.pieces = self.MARKER.split(json.dumps(mark(spec)))
        self.pieces[1::2] = [names[int(number)] for number in self.pieces[1::2]]
        self.names = set(names)

    def filled(self, data: dict[str, list[dict[str, Any]]]) -> SpecText:
        """The specification with each named dataset's values given, as ``json.dumps`` of the
        whole would write it. Every dataset of the shape needs its values, and a name the shape
        lacks is an error, not a chart without it."""
        if missing := set(data) - self.names:
            raise ValueError(f"the chart has no dataset named {', '.join(sorted(missing))}")
        if unfilled := self.names - set(data):
            raise ValueError(f"no values given for the dataset {', '.join(sorted(unfilled))}")
        written = {name: json.dumps(values, cls=DjangoJSONEncoder) for name, values in data.items()}
        pieces = self.pieces.copy()
        pieces[1::2] = [written[name] for name in pieces[1::2]]
        return SpecText("".join(pieces))


def spec_script(spec: dict[str, Any] | SpecText, element_id: str) -> SafeString:
    """The specification in a ``<script type="application/json">``: the same bytes as Django's
    ``json_script`` filter, whose ``str.translate`` looks up each character of the text in a
    Python mapping: for a star's two charts (~26 kB of JSON each) that was the largest single
    cost of the star page (~5 ms). ``str.replace`` of the three characters is ~30 times faster."""
    written = spec if isinstance(spec, SpecText) else json.dumps(spec, cls=DjangoJSONEncoder)
    text = written.replace(">", "\\u003E").replace("<", "\\u003C").replace("&", "\\u0026")
    return format_html(
        '<script id="{}" type="application/json">{}</script>',
        element_id,
        mark_safe(text),  # noqa: S308 - the three characters HTML reads in a script are escaped
    )


def bundle() -> tuple[str, str]:
    """The browser's JavaScript (vega, vega-lite and vega-embed with their dependencies, made
    global as ``vega``, ``vegaLite`` and ``vegaEmbed``) and the text recording its versions."""
    # None: vl-convert's own snippet, which makes the three globals (its stub says str).
    source = vl_convert.javascript_bundle(None, vl_version=VEGA_LITE)  # type: ignore[arg-type]
    versions = (
        f"vega {vl_convert.get_vega_version()}\n"
        f"vega-lite {VEGA_LITE}\n"
        f"vega-embed {vl_convert.get_vega_embed_version()}\n"
        f"written by vl-convert-python {version('vl-convert-python')}\n"
    )
    return source, versions
