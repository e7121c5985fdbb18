"""``{{ spec|chart_json:id }}``: a chart's Vega-Lite specification for the browser
(includes/chart.html), as Django's ``json_script`` writes it, faster (lib/charts.py)."""

from django import template

from lib.charts import spec_script

register = template.Library()
register.filter("chart_json", spec_script)
