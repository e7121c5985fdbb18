"""/api/v1/: the routes of the three apps' endpoints (a star's detail composed here, stars.py),
and the OpenAPI schema with its page."""

from csp.decorators import csp_update
from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from curation.api.views import SubmissionViewSet
from jmdc.api.views import MeasurementViewSet, ReleaseViewSet
from obsportal.api.views import ExposureViewSet

from .stars import StarViewSet

router = DefaultRouter(trailing_slash=True)
router.register("measurements", MeasurementViewSet, basename="measurement")
router.register("stars", StarViewSet, basename="star")
router.register("releases", ReleaseViewSet, basename="release")
router.register("submissions", SubmissionViewSet, basename="submission")
router.register("exposures", ExposureViewSet, basename="exposure")


@csrf_exempt  # it changes nothing: a POST to a wrong address gets the API's 404, not CSRF's 403
def not_an_endpoint(request, rest=""):
    """Anything else under /api/ answers in the API's error shape, not an HTML page."""
    return JsonResponse(
        {"status": 404, "code": "not_found", "errors": [],
         "message": f"No endpoint at {request.path}: see /api/docs/."},
        status=404,
    )  # fmt: skip


urlpatterns = [
    path("v1/", include((router.urls, "api"))),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file (?script), not inline: the
    # page then runs under the site's Content-Security-Policy (templates/drf_spectacular/).
    # Swagger UI's stylesheet draws its icons as data: images: allowed on this page alone.
    path(
        "docs/",
        csp_update({"img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    re_path(r"^(?P<rest>.*)$", not_an_endpoint),
]
