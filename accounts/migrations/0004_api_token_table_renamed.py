"""The API tokens' table takes accounts' name (see 0003), and their content type follows, so
that permissions given on API tokens (and the admin's history of them) stay attached.

Renaming is a change of the catalogue of tables (PostgreSQL and SQLite alike): no row is
copied, ids and digests stay, every issued key keeps working."""

from django.db import migrations


def content_type_to(app_label: str, other: str):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        # A fresh database has neither yet (content types are made after migrating); a database
        # that had both (made by hand) keeps them as they are.
        if not ContentType.objects.filter(app_label=app_label, model="apitoken").exists():
            ContentType.objects.filter(app_label=other, model="apitoken").update(app_label=app_label)

    return move


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_api_tokens_from_the_catalogue"),
        ("jmdc", "0012_api_tokens_move_to_accounts"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="apitoken", table=None),
        migrations.RunPython(content_type_to("accounts", "jmdc"), content_type_to("jmdc", "accounts")),
    ]
