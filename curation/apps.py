from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CurationConfig(AppConfig):
    name = "curation"
    verbose_name = "Curation: submissions and review"

    def ready(self) -> None:
        from jmdc.identification import stars_resolved

        from .signals import refresh_rows_of_stars

        post_migrate.connect(ensure_role_groups, sender=self)
        stars_resolved.connect(refresh_rows_of_stars, dispatch_uid="curation.refresh_rows_of_stars")


ROLE_PERMISSIONS = {
    "curators": [
        "curation.review_submission",
        "jmdc.view_embargoed_measurement",
        "jmdc.correct_measurement",
    ],
    "managers": [
        "curation.review_submission",
        "curation.manage_catalogue",
        "jmdc.view_embargoed_measurement",
        "jmdc.correct_measurement",
    ],
}


def ensure_role_groups(**kwargs) -> None:
    """The role groups exist with their permissions; people are appointed in the admin."""
    from django.contrib.auth.models import Group, Permission

    from .models import CURATORS, MANAGERS

    assert set(ROLE_PERMISSIONS) == {CURATORS, MANAGERS}
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission:
                group.permissions.add(permission)
