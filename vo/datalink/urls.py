"""DataLink, included at the root by vo/urls.py: its path is vo.identifiers.DATALINK_PATH,
which the ObsCore view's access_url writes too."""

from django.urls import path

from . import views

urlpatterns = [
    # No trailing slash: the address ObsCore's access_url and clients hold, without redirect.
    path("datalink/links", views.links, name="datalink-links"),
]
