"""What every endpoint of the REST API shares: token authentication, throttling, pagination,
the CSV renderer and the API's own exceptions (their JSON shape: api_errors.py)."""

from __future__ import annotations

import base64
import datetime
import hashlib

from django.conf import settings
from django.utils import timezone
from django.utils.html import conditional_escape
from rest_framework import exceptions, pagination, parsers, renderers, throttling
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from accounts.client_address import client_address
from lib.numbers import whole_number

from .models import ApiToken

LAST_USED_GRANULARITY = datetime.timedelta(minutes=5)  # not a write per request


class TokenAuthentication(BaseAuthentication):
    """``Authorization: Token jmdc_...`` (or ``Bearer``), a personal token of the profile page."""

    keywords = (b"token", b"bearer")

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the header as 'Authorization: Token <key>', the key without blanks."
            )
        key = parts[1].decode("latin-1")
        token = (
            ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(key)).first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(
                "Unknown API token: create one on your profile page."
            )
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(
                f"This API token was revoked on {token.revoked_at:%Y-%m-%d %H:%M} UTC."
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("The account of this token is disabled.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return 'Token realm="api"'


class _SettingsRate:
    """Rates read from settings at each request, so an operator (or a test) can change them."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]


class AnonThrottle(_SettingsRate, throttling.AnonRateThrottle):
    def get_ident(self, request):
        """The client's address as the login protection sees it: DRF's own reading believes
        any X-Forwarded-For a client sends, which made every request a new client."""
        return client_address(request)


class UserThrottle(_SettingsRate, throttling.UserRateThrottle):
    """Logged-in clients only: DRF's UserRateThrottle also counts anonymous ones by IP, which
    would hold them to min(API_ANON_RATE, API_USER_RATE) (the load bench met it)."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None  # not throttled here: AnonThrottle counts them
        return super().get_cache_key(request, view)


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "The object is not in a state that allows this."
    default_code = "conflict"


class RowProblems(exceptions.APIException):
    """Rows that block an action (submit, accept), each named by row and column."""

    status_code = 400
    default_code = "row_problems"

    def __init__(self, message: str, problems: list[dict]):
        super().__init__(message)
        self.problems = problems


class Pagination(pagination.PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        """A page_size that is not a number from 1 to 1000 is an error, not silently 100."""
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        text = values[-1].strip()
        size = whole_number(text)
        if len(values) > 1 or size is None or not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError(
                {"page_size": [f"Give one whole number from 1 to {self.max_page_size}."]}
            )
        return size


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's HTML pages of the API, under the site's Content-Security-Policy but for this
    response type only: its template floats buttons with style="..." attributes (allowed:
    style attributes run no script) and inlines the code highlighter's <style> (allowed by
    its own hash, not by 'unsafe-inline')."""

    def get_context(self, data, accepted_media_type, renderer_context):
        context = super().get_context(data, accepted_media_type, renderer_context)
        update = {"style-src-attr": ["'unsafe-inline'"]}
        if context.get("code_style"):
            text = str(conditional_escape(context["code_style"]))  # as the template writes it
            digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
            update["style-src"] = [f"'sha256-{digest}'"]
        response = renderer_context.get("response")
        if response is not None:
            response._csp_update = update
        return context


class CSVRenderer(renderers.BaseRenderer):
    """``?format=csv``: the catalogue's CSV, which the views stream themselves (the list and
    one measurement); what reaches this renderer is an error, written as its message."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, (bytes, str)):
            return data
        return (data or {}).get("message", "") if isinstance(data, dict) else ""


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a depth limit: JSON nested 100,000 deep overflows Python's
    parser (a RecursionError, a 500), and nesting a little less deep would overflow whatever
    walks the data next (validation, the error handler). No body of the API nests beyond a
    few levels."""

    MAX_DEPTH = 32
    TOO_DEEP = "the JSON is nested too deeply (more than {} levels): send the data as documented."

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(self.TOO_DEEP.format(self.MAX_DEPTH)) from None
        if _depth_over(data, self.MAX_DEPTH):
            raise exceptions.ParseError(self.TOO_DEEP.format(self.MAX_DEPTH))
        return data


def _depth_over(data, limit: int) -> bool:
    """Whether lists and objects nest deeper than ``limit`` (walked without recursion)."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False
