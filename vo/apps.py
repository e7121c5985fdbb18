from django.apps import AppConfig


class VoConfig(AppConfig):
    name = "vo"
    verbose_name = "Virtual Observatory: TAP, UWS, DataLink, VOResource"

    def ready(self) -> None:
        from jmdc.links import provide

        from .identifiers import exposure_did, links_path, measurement_did

        # The measurement and exposure pages link their DataLink document without naming this
        # app (jmdc/links.py): the apps below build no VO identifier.
        provide("datalink_measurement", lambda pk: links_path(measurement_did(pk)))
        provide("datalink_exposure", lambda exp_id: links_path(exposure_did(exp_id)))
