"""q3c cone-search index on PostgreSQL. Skipped (with nothing to undo) on other databases,
and on a PostgreSQL without the q3c package, where the portable fallback answers instead."""

from django.db import migrations


def create_q3c_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'q3c'")
        if cursor.fetchone() is None:
            return
        cursor.execute("CREATE EXTENSION IF NOT EXISTS q3c")
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS obsportal_exposure_q3c "
            "ON obsportal_exposure (q3c_ang2ipix(ra, dec))"
        )


def drop_q3c_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS obsportal_exposure_q3c")


class Migration(migrations.Migration):
    dependencies = [("obsportal", "0001_exposures")]
    operations = [migrations.RunPython(create_q3c_index, drop_q3c_index)]
