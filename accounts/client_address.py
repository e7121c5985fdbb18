"""The one answer to "who is this client?" for the API's throttles and the login protection.

A client chooses what it writes in X-Forwarded-For, so the header is believed only as far as
the proxies we run ourselves: with TRUSTED_PROXY_COUNT = N, each of our N proxies appended the
address it received the request from, and the client is the N-th entry from the right.
Entries further left were written by the client. With N = 0 (the default: nothing in front of
gunicorn) the header is ignored and the client is REMOTE_ADDR.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [e for e in entries if e]
    if len(entries) < count:
        # Fewer entries than proxies: the request did not come through all of them (a probe
        # from inside the host); REMOTE_ADDR is the only address nobody could write.
        return remote
    candidate = entries[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote  # not an address: our proxy would not have written it
