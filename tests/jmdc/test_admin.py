"""The admin shows published measurements and stars but does not write them: their changes go
through the services (rules, reason, audit). A NOTES that VizieR cannot hold, saved by the
admin, broke every export and release (issue 14)."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from jmdc.models import Measurement
from tests.builders import measurement

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    root = User.objects.create_superuser("root", "root@example.org", "pw")
    client = Client()
    client.force_login(root)
    return client


def test_a_published_measurement_is_shown_but_cannot_be_changed_in_the_admin(admin_client):
    row = measurement(notes="as published")
    url = f"/admin/jmdc/measurement/{row.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200 and "as published" in page.content.decode()
    admin_client.post(url, {"notes": "x" * 203 + "\u2026", "id1": row.id1})
    assert Measurement.objects.get(pk=row.pk).notes == "as published"
    assert admin_client.get("/admin/jmdc/measurement/add/").status_code == 403
    assert admin_client.post(f"/admin/jmdc/measurement/{row.pk}/delete/").status_code == 403
    assert Measurement.objects.filter(pk=row.pk).exists()


def test_a_star_cannot_be_renamed_or_deleted_in_the_admin(admin_client):
    star = measurement().star
    url = f"/admin/jmdc/star/{star.pk}/change/"
    admin_client.post(url, {"name": "renamed", "status": "resolved"})
    star.refresh_from_db()
    assert star.name == "HD360"
    assert admin_client.post(f"/admin/jmdc/star/{star.pk}/delete/").status_code == 403
