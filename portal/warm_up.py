"""A web worker's first request, paid once in gunicorn's master before the workers fork.

gunicorn imports the portal in its master (preload_app) but Django builds the rest lazily, in
each worker, at its first request: the URLconf and the views it imports, every template
compiled, the charts' shapes (Altair, ~80 ms each). That first request took ~1 s, and a worker
is replaced every ~2,000 requests (max_requests): under the load bench each replacement was a
request of a second, which is what the p99 of a page measured. Asking the main pages once in
the master leaves all of it built in the memory each worker is forked with. Best effort: a
database not there yet, or one that keeps a lock past the timeouts below, leaves the
workers to build it as before.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

PAGES = ("/", "/search")


def warm_up() -> list[tuple[str, int]]:
    """Ask the main pages (and a star's) once, as an anonymous visitor; then close what the
    requests opened, since a forked worker must not share its parent's sockets. Answers
    (path, status), or [] when the portal could not answer."""
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection, connections
    from django.test import Client

    from jmdc.models import Star

    host = next((name for name in settings.ALLOWED_HOSTS if "*" not in name), "localhost")
    client = Client(SERVER_NAME=host.lstrip("."))
    answers = []
    try:
        if connection.vendor == "postgresql":
            # The workers are not forked until this returns: a database that holds a lock
            # (a long migration) must not hold the start-up with it.
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 5000; SET lock_timeout = 2000")
        star = Star.objects.visible_to(None).order_by("pk").first()
        paths = [*PAGES, *([star.get_absolute_url()] if star else [])]
        for path in paths:
            # secure: behind the TLS proxy a plain request would only be redirected.
            answers.append((path, client.get(path, secure=True).status_code))
        if any(status != 200 for _, status in answers):
            log.warning("warm-up: a page did not answer 200 %s; workers will build it", answers)
    except Exception:  # the workers will build it all themselves, as before
        log.warning(
            "warm-up of the web pages failed; workers will pay their first request", exc_info=True
        )
    finally:
        connections.close_all()
        caches.close_all()
    return answers
