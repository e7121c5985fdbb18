from django.apps import AppConfig


class VoConfig(AppConfig):
    name = "vo"
    verbose_name = "Virtual Observatory: TAP, UWS, DataLink, VOResource"
