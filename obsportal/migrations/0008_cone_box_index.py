"""The portable cone's box read through one index on PostgreSQL: declination, then RA.

With the declination alone indexed, the fallback fetched every row of its declination band
(a strip round the whole sky, which grows with the table) to reject those outside the box's
RA window: in the cone benchmark a cone that kept 27 rows read 1,510. Here the index holds
the RA too, so PostgreSQL checks the RA window in the index and fetches only the box's rows
(0.1 ms instead of 1.1 ms for that cone). SQLite neither chose this index nor read fewer rows
through it (it checks the RA on the row): it gets none. Outside the model's Meta, like the
q3c index: it serves the cone module's query alone."""

from django.db import migrations

INDEX = "obsportal_exposure_dec_ra"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON obsportal_exposure (dec, ra)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("obsportal", "0007_baselines_text_stored")]
    operations = [migrations.RunPython(create_index, drop_index)]
