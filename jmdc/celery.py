"""The Celery application of the portal.

Configuration comes from Django settings (CELERY_*). With no CELERY_BROKER_URL the
settings make every task run eagerly in the calling process: the embedded default.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jmdc.settings")

app = Celery("jmdc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
