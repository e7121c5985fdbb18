"""The upgrade that moves API tokens from the catalogue app to accounts: a key issued before it
still opens the API after it (the rows are not copied: the table is renamed)."""

import hashlib

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from rest_framework.test import APIClient

from accounts.models import ApiToken

BEFORE = [("accounts", "0002_existing_accounts_are_verified"),
          ("jmdc", "0011_release_change_counts_from_changelogs")]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_token_issued_before_the_move_still_works_after_it():
    call_command("migrate", "accounts", "0002", verbosity=0)
    old_apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    OldToken = old_apps.get_model("jmdc", "ApiToken")
    user = User.objects.create_user("scripter", "scripter@example.org")
    key = "jmdc_issued-before-the-upgrade"
    OldToken.objects.create(
        user_id=user.pk, name="laptop", prefix=key[:12],
        digest=hashlib.sha256(key.encode()).hexdigest(),
    )  # fmt: skip
    assert "jmdc_apitoken" in connection.introspection.table_names()
    # As in a database that never had the move: the tokens' content type is the catalogue's,
    # and a group holds a permission on tokens.
    ContentType.objects.filter(model="apitoken").delete()
    old_type = ContentType.objects.create(app_label="jmdc", model="apitoken")
    support = Group.objects.create(name="support")
    support.permissions.add(
        Permission.objects.create(content_type=old_type, codename="view_apitoken", name="Can view")
    )

    call_command("migrate", verbosity=0)

    tables = connection.introspection.table_names()
    assert "accounts_apitoken" in tables and "jmdc_apitoken" not in tables
    token = ApiToken.objects.get()
    assert (token.user, token.name) == (user, "laptop")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    answer = client.get("/api/v1/submissions/")
    assert answer.status_code == 200, answer.content
    assert ApiToken.objects.get().last_used_at is not None  # it was this token that opened it
    User.objects.create_user("helper").groups.add(support)
    assert User.objects.get(username="helper").has_perm("accounts.view_apitoken")
