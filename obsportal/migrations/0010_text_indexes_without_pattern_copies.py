"""The exposures' text columns indexed once, not twice, on PostgreSQL, and only where read.

``unique=True`` and ``db_index=True`` on a CharField make Django add, on PostgreSQL, a second
index of the column with ``varchar_pattern_ops`` (for case-sensitive LIKE 'prefix%'). No query
of the portal asks that: the search's instrument and programme are ``istartswith`` and the
interferometer ``iexact``, compiled as UPPER(...) LIKE, which neither index serves; equality
(the exposure page, ingestion's lookup by exp_id, the pending targets) is served by the plain
b-tree. Each copy was written at every ingested row for nothing. The plain indexes and the
uniqueness are now declared in the model's Meta, where Django makes no copy.

Two plain indexes go too, read by no query: header_id's (the DP.ID is shown, never looked up)
and instrument's alone (an equality on the instrument is served by the index of
(instrument, mjd_start), whose first column it is).

The new index and the unique constraint are built before the old ones go, so exp_id is never
left without its uniqueness. On SQLite (no copies there) the result is the same indexes under
new names; each AlterField rebuilds the table there, as Django does on SQLite.

On PostgreSQL the whole migration is one transaction: the index builds lock out writes
(ingestion) for their time (the whole migration took 1.5 s at 300,000 rows), and the drops wait for
every reader of the table, a streamed answer included; each waiting request would queue
behind them. So it gives up after 5 s of waiting for a lock (``lock_timeout``), changing
nothing: run it again, or with the web workers stopped. TAP's ``dp_id`` (header_id) was never
declared indexed; a lookup on it reads the table."""

from django.db import migrations, models


def give_up_on_a_held_lock(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET LOCAL lock_timeout = '5s'")


class Migration(migrations.Migration):
    dependencies = [("obsportal", "0009_baselines_text_xml_check")]

    operations = [
        migrations.RunPython(give_up_on_a_held_lock, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="exposure",
            constraint=models.UniqueConstraint(fields=("exp_id",), name="exposure_exp_id_unique"),
        ),
        migrations.AddIndex(
            model_name="exposure",
            index=models.Index(fields=["program"], name="exposure_program"),
        ),
        migrations.AddIndex(
            model_name="exposure",
            index=models.Index(fields=["target_status"], name="exposure_target_status"),
        ),
        migrations.AlterField(
            model_name="exposure",
            name="exp_id",
            field=models.CharField(
                help_text="The archive's DP.ID and the exposure number.", max_length=80
            ),
        ),
        migrations.AlterField(
            model_name="exposure",
            name="header_id",
            field=models.CharField(max_length=80, verbose_name="DP.ID"),
        ),
        migrations.AlterField(
            model_name="exposure",
            name="instrument",
            field=models.CharField(max_length=16),
        ),
        migrations.AlterField(
            model_name="exposure",
            name="program",
            field=models.CharField(blank=True, max_length=32, verbose_name="programme"),
        ),
        migrations.AlterField(
            model_name="exposure",
            name="target_status",
            field=models.CharField(
                choices=[
                    (
                        "pending",
                        "queued: SIMBAD will be asked at the next identification of targets",
                    ),
                    ("identified", "identified by SIMBAD"),
                    ("not_found", "not found in SIMBAD, or ambiguous"),
                    ("far", "SIMBAD's object is far from the pointing"),
                    ("unconfirmed", "no pointing to confirm the name with"),
                ],
                default="pending",
                max_length=16,
            ),
        ),
    ]
