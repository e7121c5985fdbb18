"""One account per address, and an address proved by a link before the account submits or
receives e-mail (defect 11)."""

import logging

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import VerifiedAddress
from curation import services
from curation.models import Submission
from tests.accounts.signup import PASSWORD, link_in, post, sign_up
from tests.personas import verified_user
from tests.rows import GOOD_ROW, form_data, row

NOT_VERIFIED = "Verify your e-mail address first: we sent a link to {email}."


def test_an_address_another_account_uses_is_refused_at_sign_up_whatever_its_case(db):
    verified_user("ada", "ada@example.org")
    response = sign_up(Client(), email="Ada@Example.ORG")
    assert response.status_code == 200
    assert (
        "Another account already uses Ada@Example.ORG. If it is yours, log in or reset its "
        "password; otherwise give another address." in response.content.decode()
    )
    assert not User.objects.filter(username="newcomer").exists()


def test_a_taken_address_is_told_only_to_a_sign_up_that_is_otherwise_valid(db):
    """Review of #14: a mismatched password must not get the answer for free; the probe has
    to be a real sign-up, which counts toward the hour's limit."""
    verified_user("ada", "ada@example.org")
    response = Client().post("/accounts/signup/", {
        "username": "newcomer", "email": "ada@example.org",
        "password1": PASSWORD, "password2": "not the same",
    })  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "The two password fields didn’t match." in page
    assert "Another account already uses" not in page
    assert not User.objects.filter(username="newcomer").exists()


def test_a_new_account_gets_a_link_and_may_submit_only_after_following_it(db):
    client = Client()
    response = sign_up(client)
    assert (
        "Welcome, newcomer. We sent a link to new@example.org: follow it to confirm your "
        "address, then you can submit measurements." in response.content.decode()
    )
    assert "Confirm your e-mail address before you submit" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["new@example.org"]

    refused = client.post("/submissions/new/", form_data())
    assert refused.status_code == 403
    assert NOT_VERIFIED.format(email="new@example.org") in refused.content.decode()
    assert Submission.objects.count() == 0

    confirmed = client.get(link_in(message), follow=True)
    assert "Thank you: new@example.org is confirmed." in confirmed.content.decode()
    assert "Confirm your e-mail address" not in confirmed.content.decode()
    created = client.post("/submissions/new/", form_data(), follow=True)
    assert created.status_code == 200 and Submission.objects.count() == 1


def test_the_api_refuses_an_unverified_account_with_the_same_words(db):
    from accounts.models import ApiToken

    user = User.objects.create_user("newcomer", "new@example.org", PASSWORD)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(user, 'test')[1]}")
    response = api.post("/api/v1/submissions/", {"rows": [GOOD_ROW]}, format="json")
    assert response.status_code == 403
    assert response.json()["message"].startswith(NOT_VERIFIED.format(email="new@example.org"))


def test_an_address_changed_after_verification_must_be_verified_again_before_submitting(
    people,
):
    draft = services.create_submission(actor=people.astronomer, rows=[row()])
    people.astronomer.email = "ada@elsewhere.org"
    people.astronomer.save()
    api = APIClient()
    api.force_authenticate(people.astronomer)
    response = api.post(f"/api/v1/submissions/{draft.pk}/submit/")
    assert response.status_code == 403
    assert response.json()["message"].startswith(NOT_VERIFIED.format(email="ada@elsewhere.org"))
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_a_link_sent_to_an_old_address_confirms_nothing(db):
    client = Client()
    sign_up(client)
    user = User.objects.get(username="newcomer")
    user.email = "other@example.org"
    user.save()
    response = client.get(link_in(mail.outbox[0]))
    assert response.status_code == 400
    assert (
        "This link was sent to an address the account no longer has: ask for a new one."
        in response.content.decode()
    )
    assert not VerifiedAddress.objects.exists()


def test_a_damaged_link_confirms_nothing(db):
    client = Client()
    sign_up(client)
    response = client.get(link_in(mail.outbox[0]).replace("/verify/", "/verify/x"))
    assert response.status_code == 400
    assert "This link is not valid (was it copied whole?)" in response.content.decode()


def test_the_link_is_sent_again_on_request_but_not_twice_a_minute(db):
    client = Client()
    sign_up(client)
    mail.outbox.clear()
    from django.core.cache import cache

    cache.clear()  # as if the sign-up's e-mail had been sent over a minute ago
    first = post(client, "/accounts/verify/resend/", follow=True)
    assert "A new link is on its way to new@example.org." in first.content.decode()
    second = post(client, "/accounts/verify/resend/", follow=True)
    assert "A link was sent to new@example.org less than a minute ago" in second.content.decode()
    assert len(mail.outbox) == 1
    assert client.get(link_in(mail.outbox[0])).status_code == 302


def test_notifications_go_to_verified_addresses_only(people, django_capture_on_commit_callbacks):
    unverified_curator = User.objects.create_user("new-cur", "newcur@example.org", "x")
    unverified_curator.groups.add(Group.objects.get(name="curators"))
    unverified_colleague = User.objects.create_user("new-col", "newcol@example.org", "x")
    unverified_colleague.groups.add(people.group)
    draft = services.create_submission(actor=people.astronomer, rows=[row()], group=people.group)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(draft, actor=people.astronomer)
    assert mail.outbox[-1].to == ["cur@example.org", "man@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(draft, actor=people.astronomer)
    assert mail.outbox[-1].to == ["bob@example.org"]


def test_a_password_reset_link_goes_only_to_a_verified_address(db):
    User.objects.create_user("newcomer", "new@example.org", PASSWORD)
    response = post(Client(), "/accounts/password_reset/", {"email": "new@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []
    verified_user("ada", "ada@example.org", PASSWORD)
    post(Client(), "/accounts/password_reset/", {"email": "ADA@example.org"})
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]


def test_the_admin_refuses_an_address_another_account_uses(db):
    verified_user("ada", "ada@example.org")
    root = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    admin = Client()
    admin.force_login(root)
    response = admin.post("/admin/auth/user/add/", {
        "username": "ada2", "email": "ADA@example.org", "usable_password": "true",
        "password1": PASSWORD, "password2": PASSWORD,
    })  # fmt: skip
    assert response.status_code == 200
    assert "Another account already uses ADA@example.org." in response.content.decode()
    assert not User.objects.filter(username="ada2").exists()


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_verifies_existing_accounts_once_per_address():
    """The data migration: existing accounts keep working; of two sharing an address, the
    older keeps it."""
    from django.core.management import call_command

    call_command("migrate", "accounts", "0001", verbosity=0)
    older = User.objects.create_user("older", "Same@example.org")
    User.objects.create_user("newer", "same@EXAMPLE.org")
    staff = User.objects.create_superuser("root", "root@example.org")
    User.objects.create_user("no-address")
    # Every app forward, not only accounts: the catalogue's migrations that follow accounts'
    # were undone with it, and later tests need their tables (jmdc_sourcefacts).
    call_command("migrate", verbosity=0)
    verified = dict(VerifiedAddress.objects.values_list("user__username", "email"))
    assert verified == {"older": "same@example.org", "root": "root@example.org"}
    assert {older.pk, staff.pk} == set(VerifiedAddress.objects.values_list("user", flat=True))


def test_a_mail_server_that_is_down_keeps_the_account_and_the_link_can_be_asked_again(
    db, settings, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    client = Client()
    with caplog.at_level(logging.ERROR, logger="accounts.tasks"):
        response = sign_up(client)
    # The worker sends the e-mail after the page: the page cannot know; the log does.
    assert response.status_code == 200
    assert "Welcome, newcomer. We sent a link to new@example.org" in response.content.decode()
    user = User.objects.get(username="newcomer")
    assert f"could not send the verification e-mail to user {user.pk}, given up" in caplog.text

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    again = post(client, "/accounts/verify/resend/", follow=True)
    assert "A new link is on its way to new@example.org." in again.content.decode()
    assert client.get(link_in(mail.outbox[0])).status_code == 302
