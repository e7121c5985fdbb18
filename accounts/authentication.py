"""The REST API's authentication: a personal token from the profile page, sent as
``Authorization: Token <key>`` (settings.REST_FRAMEWORK, next to DRF's session authentication)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

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
