from django.apps import AppConfig


class CurationConfig(AppConfig):
    name = "curation"
    verbose_name = "Curation: submissions and review"

    def ready(self) -> None:
        from jmdc.identification import stars_resolved

        from .signals import refresh_rows_of_stars

        stars_resolved.connect(refresh_rows_of_stars, dispatch_uid="curation.refresh_rows_of_stars")
