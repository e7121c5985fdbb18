"""Roles and their permissions: each app has its own permission, the project gives them to the
role groups (portal/roles.py), and the upgrade keeps every manager's rights."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from accounts.roles import CURATORS, MANAGERS
from portal.roles import ROLE_PERMISSIONS


def codes(group: Group) -> set[str]:
    return {
        f"{app}.{code}"
        for app, code in group.permissions.values_list("content_type__app_label", "codename")
    }


@pytest.mark.django_db
def test_the_role_groups_hold_what_the_table_says_after_migrate():
    assert codes(Group.objects.get(name=CURATORS)) == set(ROLE_PERMISSIONS[CURATORS])
    managers = codes(Group.objects.get(name=MANAGERS))
    assert managers == set(ROLE_PERMISSIONS[MANAGERS])
    assert {"jmdc.manage_releases", "obsportal.run_harvests"} <= managers
    assert not Permission.objects.filter(codename="manage_catalogue").exists()


@pytest.mark.django_db(transaction=True)
def test_whoever_managed_the_catalogue_before_the_upgrade_keeps_every_right():
    call_command("migrate", "curation", "0005", verbosity=0)
    submission_type = ContentType.objects.get(app_label="curation", model="submission")
    old = Permission.objects.get_or_create(
        content_type=submission_type, codename="manage_catalogue", defaults={"name": "old"}
    )[0]
    team = Group.objects.create(name="release team")
    team.permissions.add(old)
    by_group = User.objects.create_user("by-group")
    by_group.groups.add(team)
    directly = User.objects.create_user("directly")
    directly.user_permissions.add(old)
    nobody = User.objects.create_user("nobody")

    call_command("migrate", verbosity=0)

    for username in ("by-group", "directly"):
        user = User.objects.get(username=username)
        assert user.has_perm("jmdc.manage_releases") and user.has_perm("obsportal.run_harvests")
    assert not User.objects.get(pk=nobody.pk).has_perm("jmdc.manage_releases")
    assert not Permission.objects.filter(codename="manage_catalogue").exists()
