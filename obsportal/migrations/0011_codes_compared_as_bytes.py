"""The exposures' indexed codes (exp_id, programme, instrument, target status) collated "C"
on PostgreSQL: compared byte by byte, as SQLite already does (``obsportal.models.CodeField``
says why and what it measured).

On PostgreSQL, one ALTER TABLE: the column types stay, their four indexes (exp_id's unique
one, the programme's, the target status's, (instrument, mjd_start)) are rebuilt, and TAP's
views, which read these columns, are dropped before a migrate and rebuilt after it (vo/apps.py).
Like 0010 it gives up after 5 s of waiting for a lock rather than queue every request
behind it. On SQLite nothing changes in the database: Django's AlterField would rebuild the
whole table four times for it."""

from django.db import migrations

import obsportal.models

CODES = {"exp_id": 80, "program": 32, "instrument": 16, "target_status": 16}  # max_length


def _collate(schema_editor, collation: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("SET LOCAL lock_timeout = '5s'")
    quote = schema_editor.quote_name
    columns = ", ".join(
        f"ALTER COLUMN {quote(name)} TYPE varchar({length}) COLLATE {quote(collation)}"
        for name, length in CODES.items()
    )
    schema_editor.execute(f"ALTER TABLE {quote('obsportal_exposure')} {columns}")


def compare_as_bytes(apps, schema_editor) -> None:
    _collate(schema_editor, "C")


def compare_as_the_database(apps, schema_editor) -> None:
    _collate(schema_editor, "default")


STATUSES = [
    ("pending", "queued: SIMBAD will be asked at the next identification of targets"),
    ("identified", "identified by SIMBAD"),
    ("not_found", "not found in SIMBAD, or ambiguous"),
    ("far", "SIMBAD's object is far from the pointing"),
    ("unconfirmed", "no pointing to confirm the name with"),
]


class Migration(migrations.Migration):
    dependencies = [("obsportal", "0010_text_indexes_without_pattern_copies")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(compare_as_bytes, compare_as_the_database)],
            state_operations=[
                migrations.AlterField(
                    model_name="exposure",
                    name="exp_id",
                    field=obsportal.models.CodeField(
                        help_text="The archive's DP.ID and the exposure number.", max_length=80
                    ),
                ),
                migrations.AlterField(
                    model_name="exposure",
                    name="instrument",
                    field=obsportal.models.CodeField(max_length=16),
                ),
                migrations.AlterField(
                    model_name="exposure",
                    name="program",
                    field=obsportal.models.CodeField(
                        blank=True, max_length=32, verbose_name="programme"
                    ),
                ),
                migrations.AlterField(
                    model_name="exposure",
                    name="target_status",
                    field=obsportal.models.CodeField(
                        choices=STATUSES, default="pending", max_length=16
                    ),
                ),
            ],
        )
    ]
