"""Which role holds which permissions: the one table, for every app. The project package
keeps it because it names each app's permissions (each app checks only its own: reviewing is
curation's, releases the catalogue's, harvests obsportal's). People are appointed in the admin
by joining a group; the groups get their permissions here after every migrate."""

from accounts.roles import CURATORS, MANAGERS

CURATOR_PERMISSIONS = [
    "curation.review_submission",
    "jmdc.view_embargoed_measurement",
    "jmdc.correct_measurement",
]
ROLE_PERMISSIONS = {
    CURATORS: CURATOR_PERMISSIONS,
    # A manager is a curator who also cuts releases and runs the ESO archive harvests.
    MANAGERS: [*CURATOR_PERMISSIONS, "jmdc.manage_releases", "obsportal.run_harvests"],
}


def ensure_role_groups(**kwargs) -> None:
    """The role groups exist with their permissions. Run after each app's migrations (the
    permissions of an app exist once its post_migrate has run): adding is idempotent."""
    from django.contrib.auth.models import Group, Permission

    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission:
                group.permissions.add(permission)
