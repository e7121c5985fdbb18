"""The portal's root URLconf: each app's pages, the API, /health and the admin."""

from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from jmdc import urls as catalogue_urls

from . import health, pages, statistics

# The catalogue's namespace with the star page, which composes the catalogue and the exposures.
catalogue = [
    *catalogue_urls.urlpatterns,
    path("star/<int:pk>/", pages.star_detail, name="star"),
]

urlpatterns = [
    path("", include((catalogue, catalogue_urls.app_name))),
    path("", include("curation.urls")),
    path("", include("obsportal.urls")),
    path("", include("vo.urls")),  # TAP, UWS, DataLink, VOResource
    path("accounts/", include("accounts.urls")),  # sign-up, verification, password reset
    path("accounts/", include("django.contrib.auth.urls")),
    path("statistics", statistics.statistics, name="statistics"),
    path("health", health.health, name="health"),
    path("api/", include("portal.api.urls")),
    path("accounts/tokens/", account_views.api_tokens, name="api_tokens"),
    path("admin/", admin.site.urls),
]
