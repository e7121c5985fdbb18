"""The VOResource record of the portal's VO services, at /vo/resource.xml (vo/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("resource.xml", views.resource_record, name="vo-resource"),
]
