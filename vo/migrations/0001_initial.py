# A placeholder for helper A's migration (the PG schemas, views and read-only role of TAP): the
# lead replaces this file by A's at the merge; 0002_jobs depends on it by name.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies: list = []
    operations: list = []
