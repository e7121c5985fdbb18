"""The Celery application of the portal.

Configuration comes from Django settings (CELERY_*). With no CELERY_BROKER_URL the broker is
the embedded one (kombu's filesystem transport in var/broker, served by `make run`'s worker);
only the test suite runs tasks eagerly.
"""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def check_remote_services_at_start(sender, **kwargs):
    """A worker that starts checks at once whether SIMBAD and the ESO archive answer, rather
    than /health saying "not checked yet" until beat's first interval."""
    sender.app.send_task("jmdc.tasks.probe_remote_services")
