"""API tokens move from the catalogue app (jmdc) to accounts, without touching a row.

Three steps, so that no token stops working:
1. this migration: accounts takes the model in Django's state only, still on jmdc's table;
2. jmdc 0012: the catalogue lets the model go, in the state only;
3. accounts 0004: the table is renamed accounts_apitoken (ALTER TABLE ... RENAME: the rows,
   their ids and keys' digests stay), and the model's content type follows it, so the
   permissions given on API tokens stay given.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_existing_accounts_are_verified"),
        ("jmdc", "0011_release_change_counts_from_changelogs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApiToken",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(help_text="What the key is for (a script, a host).", max_length=100)),
                        ("prefix", models.CharField(max_length=16)),
                        ("digest", models.CharField(max_length=64, unique=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("last_used_at", models.DateTimeField(blank=True, null=True)),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="api_tokens", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"ordering": ["-created_at", "-pk"], "db_table": "jmdc_apitoken"},
                ),
            ],
            database_operations=[],
        ),
    ]  # fmt: skip
