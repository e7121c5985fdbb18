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


def test_an_import_run_is_a_record_the_admin_neither_adds_nor_deletes(admin_client):
    from jmdc.models import ImportRun

    run = ImportRun.objects.create(file_name="JMDC_full.csv", sha256="0" * 64, rows_read=3)
    assert admin_client.get(f"/admin/jmdc/importrun/{run.pk}/change/").status_code == 200
    assert admin_client.post("/admin/jmdc/importrun/add/", {}).status_code == 403
    assert admin_client.post(f"/admin/jmdc/importrun/{run.pk}/delete/").status_code == 403
    assert ImportRun.objects.filter(pk=run.pk).exists()


def test_an_address_is_verified_by_its_link_not_typed_in_the_admin(admin_client):
    from accounts.models import VerifiedAddress
    from tests.personas import verified_user

    user = verified_user("ada", "ada@example.org")
    entry = VerifiedAddress.objects.get(user=user)
    page = admin_client.get(f"/admin/accounts/verifiedaddress/{entry.pk}/change/")
    assert page.status_code == 200 and "ada@example.org" in page.content.decode()
    assert admin_client.get("/admin/accounts/verifiedaddress/add/").status_code == 403
    admin_client.post(
        f"/admin/accounts/verifiedaddress/{entry.pk}/change/",
        {"email": "someone.else@example.org", "user": user.pk},
    )
    assert VerifiedAddress.objects.get(pk=entry.pk).email == "ada@example.org"
    # Withdrawing a verification stays possible: the account follows a new link.
    admin_client.post(f"/admin/accounts/verifiedaddress/{entry.pk}/delete/", {"post": "yes"})
    assert not VerifiedAddress.objects.filter(pk=entry.pk).exists()
