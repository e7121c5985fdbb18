from django.urls import path

from . import views

app_name = "obsportal"

urlpatterns = [
    # Exactly these paths: Aspro2 treats a redirect (even to add a slash) as "no results".
    path("search.votable", views.search_votable_view, name="search_votable"),
    path("search", views.ExposureSearchView.as_view(), name="search"),
    path("harvests/", views.harvest_list, name="harvests"),
    path("harvests/start", views.harvest_start, name="harvest_start"),
    path("harvests/<int:pk>/status.json", views.harvest_status, name="harvest_status"),
    path("scs", views.simple_cone_search, name="scs"),
    path("detail/exposure/<str:exp_id>", views.exposure_detail, name="exposure"),
]
