"""API tokens now belong to accounts (accounts 0003 and 0004 say how): the catalogue forgets
the model in Django's state only; the table and its rows stay, accounts renames the table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("jmdc", "0011_release_change_counts_from_changelogs"),
        ("accounts", "0003_api_tokens_from_the_catalogue"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ApiToken")],
            database_operations=[],
        ),
    ]
