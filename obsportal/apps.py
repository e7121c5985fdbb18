from django.apps import AppConfig


class ObsportalConfig(AppConfig):
    name = "obsportal"
    verbose_name = "ObsPortal: VLTI exposures"
