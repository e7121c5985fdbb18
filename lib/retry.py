"""How long to wait before trying a remote service again (SIMBAD, a mail server): one rule for
every task that retries."""

from __future__ import annotations

import random


def backoff_seconds(
    retries: int, base: float, *, cap: float | None = None, retry_after: float | None = None
) -> float:
    """The wait before the next try after ``retries`` failed ones: base, 2 base, 4 base...
    (at most ``cap``), with +-25 % jitter so that many clients do not come back at the same
    moment; a service's own Retry-After wins when it asks for longer."""
    seconds = base * 2 ** max(0, retries)
    if cap is not None:
        seconds = min(seconds, cap)
    seconds *= random.uniform(0.75, 1.25)  # noqa: S311 - jitter, not cryptography
    if retry_after:
        seconds = max(seconds, retry_after)
    return seconds
