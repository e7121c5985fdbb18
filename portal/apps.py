from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PortalConfig(AppConfig):
    """The project package as an app, with no model: only to give the role groups their
    permissions after migrate (portal/roles.py)."""

    name = "portal"
    verbose_name = "JMDC portal"

    def ready(self) -> None:
        from .roles import ensure_role_groups

        # Not sent for an app without models, so no sender: run after every app's migrations.
        post_migrate.connect(ensure_role_groups, dispatch_uid="portal.ensure_role_groups")
