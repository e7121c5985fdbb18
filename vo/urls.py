"""The Virtual Observatory's doors: TAP (sync and the VOSI resources), its UWS async jobs,
DataLink and the VOResource record of the services."""

from django.urls import include, path

from vo.tap.views import landing

urlpatterns = [
    path("tap", landing),  # the TAP base URL, as clients are given it, in a browser
    path("tap/async", include("vo.uws.urls")),
    path("tap/", include("vo.tap.urls")),
    path("", include("vo.datalink.urls")),
    path("vo/", include("vo.registry.urls")),
]
