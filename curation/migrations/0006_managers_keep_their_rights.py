"""Each app checks its own permission now: the one curation.manage_catalogue becomes
jmdc.manage_releases (cutting and building releases) and obsportal.run_harvests (the ESO archive
harvests). Whoever held the old one, a group (managers) or a user directly, holds both new ones,
so no manager loses a right at the upgrade; the old permission is then removed.

The new permissions are created here: Django creates permissions only after all migrations."""

from django.db import migrations

OLD = ("curation", "submission", "manage_catalogue", "Can cut releases and manage the catalogue (manager)")
NEW = [
    ("jmdc", "release", "manage_releases", "Can cut and build releases (manager)"),
    ("obsportal", "harvestrun", "run_harvests", "Can start and follow the ESO archive harvests"),
]


def _permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def _holders(apps, app_label, codename):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    held = {"permissions__content_type__app_label": app_label, "permissions__codename": codename}
    users = {"user_permissions__content_type__app_label": app_label,
             "user_permissions__codename": codename}  # fmt: skip
    return list(Group.objects.filter(**held)), list(User.objects.filter(**users))


def forwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    groups, users = _holders(apps, OLD[0], OLD[2])
    for spec in NEW:
        permission = _permission(apps, *spec)
        for group in groups:
            group.permissions.add(permission)
        for user in users:
            user.user_permissions.add(permission)
    Permission.objects.filter(content_type__app_label=OLD[0], codename=OLD[2]).delete()


def backwards(apps, schema_editor):
    old = _permission(apps, *OLD)
    groups, users = _holders(apps, NEW[0][0], NEW[0][2])
    for group in groups:
        group.permissions.add(old)
    for user in users:
        user.user_permissions.add(old)


class Migration(migrations.Migration):
    dependencies = [
        ("curation", "0005_per_app_permissions"),
        ("jmdc", "0013_per_app_permissions"),
        ("obsportal", "0006_per_app_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
