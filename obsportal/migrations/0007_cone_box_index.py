"""The portable cone's box read through one index: declination, then RA.

With the declination alone indexed, the fallback fetched every row of its declination band
(a strip round the whole sky, which grows with the table) to reject those outside the box's
RA window: in the cone benchmark a cone that kept 27 rows read 1,510. Here the index holds
the RA too, so the RA window is checked in the index and only the box's rows are fetched
(0.1 ms instead of 1.1 ms for that cone). Plain SQL, the same on SQLite and PostgreSQL, and
outside the model's Meta (like the q3c index): it serves the cone module's query alone."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("obsportal", "0006_per_app_permissions")]
    operations = [
        migrations.RunSQL(
            "CREATE INDEX obsportal_exposure_dec_ra ON obsportal_exposure (dec, ra)",
            "DROP INDEX obsportal_exposure_dec_ra",
        )
    ]
