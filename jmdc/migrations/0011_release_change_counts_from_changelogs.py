"""The three counts of each existing changelog, copied into the release's own fields.

The database reads the counts out of the JSON (a key path in the SELECT), so no changelog is
loaded into Python: one is megabytes, and there is one per release."""

from django.db import migrations

COUNTS = ("added", "removed", "changed")


def copy_counts(apps, schema_editor):
    Release = apps.get_model("jmdc", "Release")
    paths = [f"changelog__counts__{what}" for what in COUNTS]
    for pk, *counts in Release.objects.values_list("pk", *paths).iterator(chunk_size=100):
        if all(count is None for count in counts):
            continue  # the first release, or one not built yet: nothing to count against
        Release.objects.filter(pk=pk).update(
            **{f"{what}_count": count for what, count in zip(COUNTS, counts, strict=True)}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("jmdc", "0010_release_change_counts"),
    ]

    operations = [
        migrations.RunPython(copy_counts, migrations.RunPython.noop, elidable=True),
    ]
