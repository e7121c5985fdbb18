"""A web worker's first request, paid once in gunicorn's master before the workers fork.

gunicorn imports the portal in its master (preload_app) but Django builds the rest lazily, in
each worker, at its first request: the URLconf and the views it imports, every template
compiled, the charts' shapes (Altair, ~80 ms each). That first request took ~1 s, and a worker
is replaced every ~2,000 requests (max_requests): under the load bench each replacement was a
request of a second, which is what the p99 of a page measured. Asking the main pages once in
the master leaves all of it built in the memory each worker is forked with. Best effort: a
database not there yet leaves the workers to build it as before.
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
    from django.db import connections
    from django.test import Client

    from jmdc.models import Star

    host = next((name for name in settings.ALLOWED_HOSTS if "*" not in name), "localhost")
    client = Client(SERVER_NAME=host.lstrip("."))
    answers = []
    try:
        star = Star.objects.visible_to(None).order_by("pk").first()
        paths = [*PAGES, *([star.get_absolute_url()] if star else [])]
        for path in paths:
            # secure: behind the TLS proxy a plain request would only be redirected.
            answers.append((path, client.get(path, secure=True).status_code))
    except Exception:  # the workers will build it all themselves, as before
        log.warning(
            "warm-up of the web pages failed; workers will pay their first request", exc_info=True
        )
    finally:
        connections.close_all()
        caches.close_all()
    return answers
