"""The portal's root URLconf: each app's pages, the API, /health and the admin."""

from django.contrib import admin
from django.urls import include, path

from jmdc import views as catalogue_views

from . import health

urlpatterns = [
    path("", include("jmdc.urls")),
    path("", include("curation.urls")),
    path("", include("obsportal.urls")),
    path("accounts/", include("accounts.urls")),  # sign-up, verification, password reset
    path("accounts/", include("django.contrib.auth.urls")),
    path("health", health.health, name="health"),
    path("api/", include("portal.api.urls")),
    path("accounts/tokens/", catalogue_views.api_tokens, name="api_tokens"),
    path("admin/", admin.site.urls),
]
