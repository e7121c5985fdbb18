"""How often one client address may run a TAP query (/tap/sync) or create an async job.

A sync query holds a web worker up to TAP_SYNC_TIMEOUT_SECONDS and gunicorn has few sync
workers: without a bound, a handful of anonymous clients could occupy them all. Counted per
address as the REST API's throttle and the login protection see it (behind the proxies),
in the cache (Redis in production, shared by every web process), in fixed windows.
"""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from accounts.client_address import client_address

PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def rate() -> tuple[int, int]:
    """TAP_THROTTLE_RATE as (requests, seconds), written as the API's rates ("60/min")."""
    count, _, period = str(settings.TAP_THROTTLE_RATE).partition("/")
    return int(count), PERIODS[period.strip().lower()]


def retry_after(request) -> int | None:
    """None when the request may go on (and is counted), else the seconds to wait."""
    allowed, seconds = rate()
    window = int(time.time() // seconds)
    key = f"tap-throttle:{client_address(request)}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: a new window starts
        cache.set(key, 1, timeout=seconds + 1)
        count = 1
    if count <= allowed:
        return None
    return max(1, (window + 1) * seconds - int(time.time()))


def throttled_response(wait: int) -> HttpResponse:
    from vo.tap.output import VOTABLE_MIME, error_document

    allowed, seconds = rate()
    response = HttpResponse(
        error_document(
            f"Too many TAP queries from your address: at most {allowed} every {seconds} "
            f"seconds. Wait {wait} seconds, then send the query again (or run it as one "
            "asynchronous job rather than many small ones)."
        ),
        status=429,
        content_type=VOTABLE_MIME,
    )
    response["Retry-After"] = str(wait)
    return response


def tap_throttle(view, *, methods=("GET", "POST")):
    """The view, answering HTTP 429 with a VOTable error when its caller's address is past
    TAP_THROTTLE_RATE, for requests of ``methods`` (for the job list: a POST, a new job)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in methods:
            return view(request, *args, **kwargs)
        if (wait := retry_after(request)) is not None:
            return throttled_response(wait)
        return view(request, *args, **kwargs)

    return wrapped
