"""The catalogue's pages (namespace ``jmdc``), included by the project's URLconf (portal/urls.py).

The star page (``jmdc:star``, /star/<pk>/) is the catalogue's address too, but its view shows the
exposures of the star as well: the project adds it to this namespace (portal/pages.py)."""

from django.urls import path

from . import views

app_name = "jmdc"

urlpatterns = [
    path("", views.CatalogueView.as_view(), name="catalogue"),
    path("columns", views.column_list, name="columns"),
    path("measurement/<int:pk>/", views.measurement_detail, name="measurement"),
    path("export_csv", views.export_csv, name="export_csv"),
    path("export.vot", views.export_votable, name="export_votable"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("export.json", views.export_json, name="export_json"),
    path("export.pdf", views.export_pdf, name="export_pdf"),
    path("export.dat", views.export_vizier, name="export_vizier"),
    path("exports/<uuid:job_id>/", views.export_job, name="export_job"),
    path("exports/<uuid:job_id>/status.json", views.export_job_status, name="export_job_status"),
    path("exports/<uuid:job_id>/download", views.export_job_download, name="export_job_download"),
    path("releases/", views.release_list, name="releases"),
    path("releases/<str:version>/", views.release_detail, name="release"),
    path("releases/<str:version>/status.json", views.release_status, name="release_status"),
    path("releases/<str:version>/bundle.zip", views.release_bundle, name="release_bundle"),
    path("releases/<str:version>/files/<str:name>", views.release_file, name="release_file"),
]
