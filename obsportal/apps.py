from django.apps import AppConfig


class ObsportalConfig(AppConfig):
    name = "obsportal"
    verbose_name = "ObsPortal: VLTI exposures"

    def ready(self) -> None:
        from jmdc.models import reveal_stars_through

        # A star observed at the VLTI has a page even with no measurement yet, as far as the
        # user may see the exposures (the catalogue does not know exposures: we tell it).
        reveal_stars_through(stars_seen_in_exposures)


def stars_seen_in_exposures(user):
    from .models import Exposure

    return Exposure.objects.visible_to(user).filter(star_id__isnull=False).values("star_id")
