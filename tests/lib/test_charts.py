"""The chart stack (lib/charts.py) on the server, without a browser: what the PDF exports and
the page's fallback draw, and the bundle the browser gets."""

import io
import json

import pytest
from django.core.management import call_command

from lib import charts


def points(rows, mark="point"):
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.4.json",
        "data": {"values": rows},
        "mark": mark,
        "encoding": {
            "x": {"field": "x", "type": "quantitative"},
            "y": {"field": "y", "type": "quantitative"},
            "text": {"field": "label"},
            "description": {"field": "label"},
        },
    }


def test_the_server_draws_one_mark_per_row_with_its_data():
    rows = [{"x": n, "y": n * n, "label": f"row {n}"} for n in range(7)]
    drawn = charts.marks(points(rows))
    assert len(drawn) == 7
    assert sorted(item["description"] for item in drawn) == sorted(r["label"] for r in rows)


def test_a_hostile_label_is_written_as_text_in_the_servers_svg():
    svg = charts.to_svg(points([{"x": 1, "y": 1, "label": "<script>alert(1)</script>"}], "text"))
    assert svg.startswith("<svg")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_the_server_fetches_no_url_named_by_a_specification():
    spec = points([]) | {"data": {"url": "http://127.0.0.1:9/rows.json"}}
    # Without the restriction vl-convert draws the chart, the failed fetch ignored.
    with pytest.raises(ValueError, match="External data url not allowed"):
        charts.to_svg(spec)


def test_the_png_is_a_png():
    assert charts.to_png(points([{"x": 1, "y": 2, "label": "a"}])).startswith(b"\x89PNG")


def test_the_browser_bundle_is_written_with_its_versions(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    call_command("build_chart_bundle", stdout=io.StringIO())
    source = (tmp_path / "static" / charts.BUNDLE).read_text()
    versions = (tmp_path / "static" / charts.BUNDLE_VERSIONS).read_text()
    assert "vegaEmbed" in source
    assert f"vega-lite {charts.VEGA_LITE}" in versions


@pytest.mark.parametrize("version", [charts.VEGA_LITE])
def test_altair_writes_the_vega_lite_that_the_server_renders(version):
    import altair
    import vl_convert

    assert altair.SCHEMA_VERSION.lstrip("v").startswith(version)
    assert version in vl_convert.get_vegalite_versions()


def test_a_shape_is_filled_by_its_datasets_names_and_a_missing_name_is_an_error():
    shape = charts.Shape({"layer": [{"data": {"name": "a", "values": []}}, {"mark": "rule"}]})
    filled = json.loads(shape.filled({"a": [{"x": 1}]}))
    assert filled["layer"][0]["data"]["values"] == [{"x": 1}]
    with pytest.raises(ValueError, match="no dataset named b"):
        shape.filled({"a": [], "b": []})
    with pytest.raises(ValueError, match="no values given for the dataset a"):
        shape.filled({})


def test_a_specification_is_written_for_the_browser_as_djangos_json_script_writes_it():
    # Hostile text in the data (a label closing the script, ampersands, quotes), a date, unicode.
    import datetime

    from django.utils.html import json_script

    rows = [
        {"x": 1, "y": 2.5, "label": '</script><script>alert("x")</script> & <b>'},
        {"x": None, "y": 3, "label": "Θ ≈ 1.2 mas ‘quoted’"},
        {"when": datetime.date(2020, 7, 30), "label": "\u2028 line separator"},
    ]
    spec = points(rows)
    written = charts.spec_script(spec, "chart-<id>")
    assert written == json_script(spec, "chart-<id>")
    assert "</script><script>" not in written.removesuffix("</script>")


def test_a_filled_shape_is_written_as_djangos_json_script_writes_the_whole_specification():
    """The shape's text with the data spliced in must be the very bytes json_script writes for
    the specification holding that data, the hostile data of the test above included, and a
    dataset named in several layers filled in each."""
    import datetime

    from django.utils.html import json_script

    rows = [
        {"x": 1, "y": 2.5, "label": '</script><script>alert("x")</script> & <b>'},
        {"x": None, "y": float("nan"), "label": "Θ ≈ 1.2 mas ‘quoted’"},
        {"when": datetime.date(2020, 7, 30), "label": "\u2028 line separator"},
        # Text like the markers where the shape's datasets go (a NUL and a number): data.
        {"label": "\x000"},
        {"label": "\x001"},
        {"label": "\x00"},
        {"x": "\\u00001"},
    ]
    band = [{"low": 1.0, "high": 2.0, "description": "µ <band>"}]
    spec = points([])
    spec["data"] = {"name": "a", "values": []}
    spec["layer"] = [{"data": {"name": "b", "values": []}}, {"data": {"values": [], "name": "b"}}]
    shape = charts.Shape(spec)
    whole = {**spec, "data": {"name": "a", "values": rows}}
    whole["layer"] = [
        {"data": {"name": "b", "values": band}},
        {"data": {"values": band, "name": "b"}},
    ]
    written = charts.spec_script(shape.filled({"a": rows, "b": band}), "chart-<id>")
    assert written == json_script(whole, "chart-<id>")
