"""The catalogue table's cells for templates: a measurement row (the star page, a submission's
rows under review, a measurement's page) shows METHOD, BANDCODE, the numbers and the bibcode
exactly as the catalogue table does, from the same functions (jmdc/tables.py writes the
catalogue's rows in Python, for speed)."""

from django import template

from jmdc.tables import bandcode_cell, bibcode_cell, measurement_cells, method_cell, number_cell

register = template.Library()
register.filter("method_cell", method_cell)
register.filter("bandcode_cell", bandcode_cell)
register.filter("number_cell", number_cell)
register.filter("bibcode_cell", bibcode_cell)
register.simple_tag(measurement_cells, name="measurement_cells")
