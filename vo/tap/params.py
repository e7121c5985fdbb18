"""DALI's request parameters: names are case-insensitive, and a parameter the service does
not know is reported back (an INFO named WARNING), not ignored silently."""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from vo.tap.engine import NEEDS_POSTGRESQL, TapError

# TAP 1.1 and DALI's parameters of a query (sync, or an async job's), upper case.
KNOWN_PARAMS: frozenset[str] = frozenset(
    {"REQUEST", "LANG", "QUERY", "FORMAT", "RESPONSEFORMAT", "MAXREC", "VERSION", "RUNID",
     "UPLOAD", "PHASE", "EXECUTIONDURATION", "DESTRUCTION", "QUOTE"}
)  # fmt: skip
LANGS = ("ADQL", "ADQL-2.0", "ADQL-2.1")
# DALI's VERSION: the version of the protocol the client speaks (TAP 1.0 or 1.1, which this
# service answers alike), not of the VOTable (that is RESPONSEFORMAT's version=).
TAP_VERSIONS = ("1.0", "1.1")


def check_protocol_version(params: dict[str, str]) -> None:
    version = params.get("VERSION")
    if version is None or version.strip() in TAP_VERSIONS:
        return
    raise TapError(
        f"VERSION={version} is not a TAP version this service speaks: VERSION is the "
        f"protocol's version ({' or '.join(TAP_VERSIONS)}). For a VOTable version, ask "
        "RESPONSEFORMAT=application/x-votable+xml;version=1.2."
    )


def dali_params(querydict) -> dict[str, str]:
    """The request's parameters by their upper-cased name (the last value of a repeated one;
    DALI's single-valued parameters take one)."""
    params: dict[str, str] = {}
    for name in querydict:
        values = querydict.getlist(name) if hasattr(querydict, "getlist") else [querydict[name]]
        if values:
            params[name.upper()] = values[-1]
    return params


def unknown_params(params) -> list[str]:
    """Names the service does not know, in the order given."""
    return [name for name in params if name.upper() not in KNOWN_PARAMS]


def postgres_or_error() -> bytes | None:
    """None on PostgreSQL, else the VOTable error saying TAP needs PostgreSQL."""
    if connection.vendor == "postgresql":
        return None
    from vo.tap.output import error_document

    return error_document(NEEDS_POSTGRESQL)


def maxrec_of(params: dict[str, str]) -> int:
    """MAXREC as DALI says: the default when absent, at most the hard limit (sync and async)."""
    text = params.get("MAXREC", "").strip()
    if not text:
        return settings.TAP_MAXREC_DEFAULT
    try:
        maxrec = int(text)
    except ValueError:
        raise TapError(f"MAXREC must be a whole number of rows, not '{text}'.") from None
    if maxrec < 0:
        raise TapError(f"MAXREC must be 0 or more, not {maxrec}.")
    # A client may ask for fewer rows than the default, never more than the hard limit.
    return min(maxrec, settings.TAP_MAXREC_HARD)
