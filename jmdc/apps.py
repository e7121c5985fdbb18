from django.apps import AppConfig


class JmdcConfig(AppConfig):
    name = "jmdc"
    verbose_name = "JMDC catalogue"
