"""An address belongs to the account that proves it reads it, not to the first that types it
(defect 2), and "the same address" means the same thing on SQLite and PostgreSQL (defect 3)."""

from django.contrib.auth.models import Group, User
from django.core import mail
from django.test import Client

from accounts.models import VerifiedAddress
from curation import services
from tests.accounts.signup import PASSWORD, link_in, post, sign_up
from tests.personas import verified_user
from tests.rows import row

UNICODE = "Ünïcode@example.org"  # create_user lower-cases the domain


def test_an_address_typed_by_someone_who_never_confirms_it_blocks_nobody(db):
    mallory = Client()
    sign_up(mallory, username="mallory", email="victim@example.org")
    mallorys_link = link_in(mail.outbox[0])

    victim = Client()
    response = sign_up(victim, username="victim", email="Victim@example.org")
    assert "Welcome, victim. We sent a link to Victim@example.org" in response.content.decode()
    assert victim.get(link_in(mail.outbox[1]), follow=True).status_code == 200
    assert VerifiedAddress.objects.get().user.username == "victim"

    refused = mallory.get(mallorys_link)
    assert refused.status_code == 409
    assert (
        "Another account has already confirmed victim@example.org as its address. If that "
        "account is yours, log in to it; otherwise ask an administrator to give this account "
        "another address." in refused.content.decode()
    )
    assert VerifiedAddress.objects.get().user.username == "victim"

    mail.outbox.clear()
    post(Client(), "/accounts/password_reset/", {"email": "victim@example.org"})
    assert [m.to for m in mail.outbox] == [["Victim@example.org"]]
    assert "victim" in mail.outbox[0].body


def test_two_accounts_cannot_both_hold_a_verified_address_in_the_database(db):
    import pytest
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    verified_user("ada", "ada@example.org")
    other = User.objects.create_user("ada2", "ada@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        VerifiedAddress.objects.create(
            user=other, email="ada@example.org", verified_at=timezone.now()
        )


def test_a_verified_address_with_a_non_ascii_capital_gets_its_notifications(
    people,
    django_capture_on_commit_callbacks,
):
    curator = verified_user("ünï", UNICODE, PASSWORD)
    curator.groups.add(Group.objects.get(name="curators"))
    draft = services.create_submission(actor=people.astronomer, rows=[row()], group=people.group)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(draft, actor=people.astronomer)
    assert UNICODE in mail.outbox[-1].to


def test_a_verified_address_with_a_non_ascii_capital_is_the_same_address_in_any_case(db):
    # Django's forms take non-ASCII letters in the domain only (the local part must be ASCII).
    client = Client()
    sign_up(client, username="ada", email="ada@Ünïcode.Example.org")
    assert client.get(link_in(mail.outbox[0])).status_code == 302
    mail.outbox.clear()

    response = sign_up(Client(), email="ada@ÜNÏCODE.example.org")
    assert "Another account already uses ada@ÜNÏCODE.example.org." in response.content.decode()
    assert not User.objects.filter(username="newcomer").exists()

    post(Client(), "/accounts/password_reset/", {"email": "ADA@ünïcode.example.ORG"})
    assert [m.to for m in mail.outbox] == [
        ["ada@ünïcode.example.org"]
    ]  # the domain as User.clean() stored it
