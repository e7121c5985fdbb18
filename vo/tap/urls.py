from django.urls import path

from vo.tap import views
from vo.throttling import tap_throttle

urlpatterns = [
    path("", views.landing, name="tap-landing"),
    path("sync", tap_throttle(views.sync), name="tap-sync"),
    path("capabilities", views.capabilities, name="tap-capabilities"),
    path("availability", views.availability, name="tap-availability"),
    path("tables", views.tables, name="tap-tables"),
    path("tables/<str:name>", views.tables, name="tap-table"),
    path("examples", views.examples, name="tap-examples"),
]
