"""DataLink 1.1's {links} endpoint: ``/datalink/links?ID=<publisher DID>`` (ID repeatable, GET
or POST), answering a DataLink VOTable; what it links is in links.py.

Each ID gets its rows, or one row whose error_message names the fault: an unknown, hidden or
malformed ID never fails the whole document. Only a request the service cannot answer at all
(no ID, too many, a RESPONSEFORMAT it does not write) gets an error document, a VOTable with
``INFO name="QUERY_STATUS" value="ERROR"`` as DALI asks, with HTTP 400.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lib.votable import write_votable
from vo.tap.output import error_document

from .links import DATALINK, FIELDS, links_for

# RESPONSEFORMAT values meaning the one format written (DALI's short form "votable" too),
# compared without spaces and case: "application/x-votable+xml; content=datalink" is one.
DATALINK_FORMATS = {"", "votable", "application/x-votable+xml", DATALINK}


def dali_params(request: HttpRequest) -> dict[str, list[str]]:
    """The request's parameters, their names upper-cased: DALI makes names case-insensitive
    (``id=`` is ``ID=``). POST (form-encoded) and GET alike, as DataLink allows both. Every
    value kept (``ID`` repeats), unlike TAP's single-valued ``vo.tap.params.dali_params``."""
    params: dict[str, list[str]] = {}
    for source in (request.GET, request.POST):
        for name in source:
            params.setdefault(name.upper(), []).extend(source.getlist(name))
    return params


def usage_error(message: str) -> HttpResponse:
    return HttpResponse(
        error_document(f"UsageFault: {message}"),
        status=400,
        content_type="application/x-votable+xml",
    )


@csrf_exempt  # a VO client posts without a session or a CSRF token; nothing is written
@require_http_methods(["GET", "POST"])
def links(request: HttpRequest) -> HttpResponse:
    params = dali_params(request)
    formats = params.get("RESPONSEFORMAT", [""])
    wanted = formats[-1].replace(" ", "").lower()
    if wanted not in DATALINK_FORMATS:
        return usage_error(
            f"RESPONSEFORMAT={formats[-1]} is not written here: this service answers "
            f"{DATALINK} only (leave RESPONSEFORMAT out, or give votable)"
        )
    ids = [value for value in params.get("ID", []) if value.strip()]
    if not ids:
        return usage_error(
            "no ID given: ask for /datalink/links?ID=<identifier>, the identifier of an "
            f"exposure ({settings.VO_IVOID_BASE}/exposure?<exp_id>) or of a measurement "
            f"({settings.VO_IVOID_BASE}/measurement?<number>)"
        )
    if len(ids) > settings.DATALINK_MAX_IDS:
        return usage_error(
            f"{len(ids)} IDs in one request; at most {settings.DATALINK_MAX_IDS}: "
            "send them in several requests"
        )
    rows = links_for(ids, user=request.user, absolute=request.build_absolute_uri)
    document = write_votable(
        FIELDS,
        (row.cells() for row in rows),
        table_name="links",
        infos={"QUERY_STATUS": "OK", "standardID": "ivo://ivoa.net/std/DataLink#links-1.1"},
    )
    return StreamingHttpResponse(document, content_type=DATALINK)
