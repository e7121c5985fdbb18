"""gunicorn's settings for the portal (read from the working directory by `gunicorn`).

Every value can be overridden from the environment, which is how docker-compose.yml and
`make stack` (ops/stack) pass theirs.
"""

import gc
import multiprocessing
import os

from portal import settings

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers: requests are short database reads; long work (exports above
# EXPORT_STREAM_MAX_ROWS, release builds, SIMBAD, harvests) runs in Celery.
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A streamed /export_csv or /search.votable of the whole table takes seconds, not minutes.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then: bounds what a slow leak anywhere can cost. Rarely: each
# recycling held some requests about a second (the load bench's static file: p99 1,020 ms
# with recycling every 2,000 requests, 12 ms without).
max_requests = 50000
max_requests_jitter = 5000
# Django is imported once, in the master, before the workers fork: a new or recycled worker
# answers its first request at once instead of after ~1 s of imports (the load bench's p99
# showed them). Each worker opens its own database and Redis connections: those of the
# warm-up (when_ready, below) are closed before the fork.
preload_app = True
# Behind the TLS proxy that sets X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER). gunicorn leaves
# REMOTE_ADDR as the proxy's address; the client's is read from X-Forwarded-For by the portal
# itself, as far as TRUSTED_PROXY_COUNT proxies (accounts/client_address.py).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The access lines in the shape of the portal's own log lines (settings.LOG_FORMAT decides).
if settings.LOG_FORMAT == "json":
    logger_class = "portal.logs.GunicornLogger"


def when_ready(server):
    """In the master, after the preloaded import and before the workers fork: their first
    request built the URLconf, the templates and the charts (~1 s; portal/warm_up.py)."""
    if os.environ.get("GUNICORN_WARM_UP", "1") != "0":
        from portal.warm_up import warm_up

        server.log.info("warm-up: %s", warm_up())
    # What the master built (Django, the warm-up) is never garbage: kept out of the workers'
    # collections, whose full passes over it were the pages' slowest requests.
    gc.collect()
    gc.freeze()
