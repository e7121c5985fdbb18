from django.contrib import admin
from django.urls import include, path

from . import views

catalogue_patterns = [
    path("", views.CatalogueView.as_view(), name="catalogue"),
    path("star/<int:pk>/", views.star_detail, name="star"),
    path("measurement/<int:pk>/", views.measurement_detail, name="measurement"),
    path("export_csv", views.export_csv, name="export_csv"),
    path("export.vot", views.export_votable, name="export_votable"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
]

urlpatterns = [
    path("", include((catalogue_patterns, "jmdc"))),
    path("", include("curation.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("health", views.health, name="health"),
    path("admin/", admin.site.urls),
]
