"""pgsphere for TAP's geometry (ADQL's POINT, CIRCLE, CONTAINS, DISTANCE), on PostgreSQL when
the package is installed. The published views and TAP_SCHEMA are not frozen here: they are
rebuilt after every migrate from vo/tap/tables.py (vo/tap/publish.py says why)."""

from django.db import migrations


def create_pg_sphere(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_sphere'")
        if cursor.fetchone():
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_sphere")


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []

    operations = [migrations.RunPython(create_pg_sphere, migrations.RunPython.noop)]
