from django.apps import AppConfig


class CurationConfig(AppConfig):
    name = "curation"
    verbose_name = "Curation: submissions and review"

    def ready(self) -> None:
        from django.urls import reverse

        from jmdc.identification import stars_resolved
        from jmdc.links import provide
        from jmdc.measurement_sections import show_on_measurement_page
        from jmdc.releases import credit_rows_through

        from .credits import credits_of
        from .oifits_pages import measurement_section
        from .signals import refresh_rows_of_stars

        stars_resolved.connect(refresh_rows_of_stars, dispatch_uid="curation.refresh_rows_of_stars")
        # The catalogue's pages offer these actions without naming this app (jmdc/links.py).
        provide("correct_measurement", lambda pk: reverse("curation:correct", args=[pk]))
        provide("cut_release", lambda: reverse("curation:cut_release"))
        provide("build_release", lambda version: reverse("curation:build_release", args=[version]))
        # A release's DataCite record credits who submitted and accepted its rows.
        credit_rows_through(credits_of)
        # A published measurement's page shows the OIFITS files it was measured from.
        show_on_measurement_page(measurement_section)
