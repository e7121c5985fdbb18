"""The REST API's throttles: anonymous clients counted by address, signed-in ones by user,
at the rates of settings.API_THROTTLE_RATES."""

from __future__ import annotations

from django.conf import settings
from rest_framework import throttling

from accounts.client_address import client_address


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
