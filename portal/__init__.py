"""The JMDC portal's project package: settings, the root URLconf, the Celery app, WSGI, /health,
logging and the REST API's wiring; the apps (jmdc, curation, obsportal, accounts) hold the rest."""

from .celery import app as celery_app

__all__ = ["celery_app"]
