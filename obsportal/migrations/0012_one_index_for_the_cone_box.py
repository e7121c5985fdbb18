"""One index for the portable cone's box, (dec, ra), on both databases, declared in the model.

PostgreSQL had two: dec's alone (the model's) and (dec, ra) (0008, outside the model); every
query on the declination is served by the second, whose first column it is, so the first was
only written at each ingested row. SQLite had dec's alone; it gets (dec, ra) in its place, which
it reads as it read dec's (the RA checked on the row, 0008 says). Cone benchmarks: unchanged."""

from django.db import migrations, models

DEC = "obsportal_e_dec_94d2a5_idx"  # the name Django gave Index(fields=["dec"])
DEC_RA = "obsportal_exposure_dec_ra"


# IF (NOT) EXISTS: a database whose 0008 was faked, or whose indexes were dropped or restored by
# hand, ends with the indexes the model declares all the same.
def one_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET LOCAL lock_timeout = '5s'")  # as 0010: never queue requests
    # PostgreSQL has (dec, ra) since 0008; SQLite gets it here.
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {DEC_RA} ON obsportal_exposure (dec, ra)")
    schema_editor.execute(f"DROP INDEX IF EXISTS {DEC}")


def two_indexes(apps, schema_editor) -> None:
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {DEC} ON obsportal_exposure (dec)")
    if schema_editor.connection.vendor != "postgresql":  # 0008's reverse drops PostgreSQL's
        schema_editor.execute(f"DROP INDEX IF EXISTS {DEC_RA}")


class Migration(migrations.Migration):
    dependencies = [("obsportal", "0011_codes_compared_as_bytes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(one_index, two_indexes)],
            state_operations=[
                migrations.RemoveIndex(model_name="exposure", name=DEC),
                migrations.AddIndex(
                    model_name="exposure",
                    index=models.Index(fields=["dec", "ra"], name=DEC_RA),
                ),
            ],
        )
    ]
