"""Signed table links (lib/table_links.py) opened: a desktop tool fetching a link the SAMP menu
sent sees the table with the visibility of the person who sent it, for a GET of a VOTable
export only, until the link expires. Anything else carrying ``signed=`` is refused with a 403
that says why, rather than served as the anonymous public's table, which would silently lack
the rows the person meant to send."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.urls import Resolver404, resolve

from lib.table_links import ACCESS, LinkRefused, verify

# The VOTable exports a signed link may open (URL names): the catalogue's selection (also a
# star's rows and a release's rows), the exposure search, a release's files.
SIGNED_TABLES = frozenset({"jmdc:export_votable", "obsportal:search_votable", "jmdc:release_file"})


def _refused(message: str) -> HttpResponse:
    return HttpResponseForbidden(message + "\n", content_type="text/plain; charset=utf-8")


class SignedTableLinkMiddleware:
    """After AuthenticationMiddleware: the signed person replaces whoever the cookies name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if ACCESS not in request.GET:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return _refused(
                "A signed link to a table opens it for reading only (GET); "
                f"this {request.method} request is refused."
            )
        try:
            view_name = resolve(request.path_info).view_name
        except Resolver404:
            view_name = ""
        if view_name not in SIGNED_TABLES:
            return _refused(
                "Signed links open the portal's VOTable tables only; this address is not one."
            )
        try:
            user_pk = verify(request.path, request.META.get("QUERY_STRING", ""))
        except LinkRefused as exc:
            return _refused(str(exc))
        user = get_user_model().objects.filter(pk=user_pk, is_active=True).first()
        if user is None:
            return _refused(
                "The account this link was signed for is closed: the link opens nothing."
            )
        request.user = user
        # The views read their filters from request.GET: the signature is no filter.
        query = request.GET.copy()
        query.pop(ACCESS)
        query._mutable = False
        request.GET = query
        return self.get_response(request)
