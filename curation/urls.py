from django.urls import path

from . import oifits_pages, views

app_name = "curation"

urlpatterns = [
    path("submissions/", views.my_submissions, name="my_submissions"),
    path("submissions/new/", views.new_measurement, name="new"),
    path("submissions/upload/", views.upload, name="upload"),
    path("submissions/upload/zip/", views.upload_zip, name="upload_zip"),
    path("submissions/template.csv", views.template_csv, name="template_csv"),
    path("submissions/template.xlsx", views.template_xlsx, name="template_xlsx"),
    path("submissions/example.csv", views.example_csv, name="example_csv"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/replace/", views.replace_file, name="replace"),
    path(
        "submissions/<int:pk>/identification.json",
        views.identification_status,
        name="identification",
    ),
    path("submissions/<int:pk>/rows/<int:position>/", views.edit_row, name="edit_row"),
    path(
        "submissions/<int:pk>/rows/<int:position>/oifits/",
        oifits_pages.row_oifits,
        name="row_oifits",
    ),
    path(
        "submissions/<int:pk>/rows/<int:position>/oifits/<int:file_id>/remove/",
        oifits_pages.remove_file,
        name="remove_oifits",
    ),
    path(
        "submissions/<int:pk>/rows/<int:position>/oifits.json",
        oifits_pages.row_oifits_status,
        name="row_oifits_status",
    ),
    path("oifits/<int:pk>/download/", oifits_pages.download, name="oifits_download"),
    path("submissions/<int:pk>/<str:action>/", views.act, name="act"),
    path("review/", views.review_queue, name="queue"),
    path("review/stars/", views.unresolved_stars, name="unresolved_stars"),
    path("measurement/<int:pk>/correct/", views.correct_measurement, name="correct"),
    path("releases/new/cut/", views.cut_release, name="cut_release"),
    path("releases/<str:version>/build/", views.build_release, name="build_release"),
]
