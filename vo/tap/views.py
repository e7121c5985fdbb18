"""TAP 1.1's synchronous queries and its VOSI resources.

Query errors come back as a VOTable with INFO QUERY_STATUS=ERROR and HTTP 200, as DALI and
TAP clients (pyvo, TOPCAT) read them; a query never ends in a 500. On SQLite every endpoint
answers the VOTable error that TAP needs PostgreSQL (availability says unavailable).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from vo.tap import vosi
from vo.tap.engine import NEEDS_POSTGRESQL, TapError, run_adql
from vo.tap.output import VOTABLE_MIME, error_document, parse_format, render
from vo.tap.params import (
    LANGS,
    check_protocol_version,
    dali_params,
    maxrec_of,
    postgres_or_error,
    unknown_params,
)

XML = "text/xml; charset=utf-8"


def base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def votable_error(message: str, version: str = "1.4", status: int = 200) -> HttpResponse:
    return HttpResponse(error_document(message, version=version), content_type=VOTABLE_MIME,
                        status=status)  # fmt: skip


def check_query_params(params: dict[str, str]) -> None:
    """What TAP 1.1 asks of a query's parameters (sync, and an async job's at its start)."""
    request = params.get("REQUEST")
    if request is not None and request != "doQuery":
        raise TapError(f"REQUEST={request} is not known: TAP answers REQUEST=doQuery.")
    lang = params.get("LANG")
    if not lang:
        raise TapError("LANG is missing: give LANG=ADQL with the QUERY.")
    if lang.upper() not in LANGS:
        raise TapError(f"LANG={lang} is not known: this service speaks {', '.join(LANGS)}.")
    if params.get("UPLOAD"):
        raise TapError("UPLOAD is not supported by this service: query its published tables.")
    if not params.get("QUERY", "").strip():
        raise TapError("QUERY is missing: give an ADQL query (SELECT ... FROM ...).")


# csrf_exempt: TAP clients (pyvo, TOPCAT, taplint) POST without a session or a token, and a
# forged request could gain nothing: the service only reads published, public tables, as the
# same GET would, and never changes anything.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def sync(request):
    params = dali_params(request.POST if request.method == "POST" else request.GET)
    if request.method == "POST":
        params = {**dali_params(request.GET), **params}
    if (refusal := postgres_or_error()) is not None:
        return HttpResponse(refusal, content_type=VOTABLE_MIME)
    version = "1.4"  # of the error document, until the format asked for is known
    try:
        fmt = parse_format(params.get("RESPONSEFORMAT") or params.get("FORMAT"))
        version = fmt.version or version
        check_protocol_version(params)
        check_query_params(params)
        maxrec = maxrec_of(params)
        result = run_adql(params["QUERY"], maxrec=maxrec,
                          timeout_seconds=settings.TAP_SYNC_TIMEOUT_SECONDS)  # fmt: skip
    except TapError as error:
        return votable_error(str(error), version)
    infos = {}
    if unknown := unknown_params(params):
        infos["WARNING"] = (
            f"Parameter{'s' if len(unknown) > 1 else ''} not known to this service, ignored: "
            + ", ".join(unknown)
        )
    body, content_type = render(result, fmt, base_url=base_url(request), infos=infos)
    return HttpResponse(body, content_type=content_type)


@require_GET
def landing(request):
    """/tap and /tap/ in a browser: what the service is, its endpoints and tables, a pyvo
    session (a TAP client never asks for it: it goes to /tap/sync, /tap/capabilities ...)."""
    from django.db import connection
    from django.shortcuts import render

    from vo.tap.tables import published_schemas

    return render(request, "vo/tap.html", {
        "tap": f"{base_url(request)}/tap",
        "tables": [table for schema in published_schemas() for table in schema.tables
                   if schema.name != "TAP_SCHEMA"],
        "postgresql": connection.vendor == "postgresql",
    })  # fmt: skip


@require_GET
def capabilities(request):
    if (refusal := postgres_or_error()) is not None:
        return HttpResponse(refusal, content_type=VOTABLE_MIME)
    return HttpResponse(vosi.capabilities(base_url(request)), content_type=XML)


@require_GET
def availability(request):
    from django.db import connection

    if connection.vendor != "postgresql":
        return HttpResponse(vosi.availability(False, NEEDS_POSTGRESQL), content_type=XML)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM tap_schema.tables")
            cursor.fetchone()
    except Exception as error:  # the database is down or the views are not built: say so
        return HttpResponse(
            vosi.availability(False, f"The database does not answer TAP's tables: {error}"),
            content_type=XML,
        )
    return HttpResponse(
        vosi.availability(True, "TAP answers ADQL on the public catalogue and exposures."),
        content_type=XML,
    )


@require_GET
def tables(request, name: str | None = None):
    if (refusal := postgres_or_error()) is not None:
        return HttpResponse(refusal, content_type=VOTABLE_MIME)
    document = vosi.tableset(name)
    if document is None:
        return HttpResponse(
            f"No table {name} here: see {base_url(request)}/tap/tables.",
            status=404, content_type="text/plain; charset=utf-8",
        )  # fmt: skip
    return HttpResponse(document, content_type=XML)


@require_GET
def examples(request):
    if (refusal := postgres_or_error()) is not None:
        return HttpResponse(refusal, content_type=VOTABLE_MIME)
    return HttpResponse(vosi.examples(), content_type="application/xhtml+xml; charset=utf-8")
