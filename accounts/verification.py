"""E-mail addresses verified by a signed link before an account may submit, or receive
notifications and password resets.

The link carries the account and the address it was sent to, signed with SECRET_KEY by
Django's signing module and valid for EMAIL_VERIFICATION_DAYS: no token is stored, and a link
sent to an address the account no longer has verifies nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from .addresses import normalise
from .models import VerifiedAddress

SALT = "accounts.verify-address"
# One e-mail per account and minute at most: "Send the link again" must not become a way to
# fill someone's mailbox.
RESEND_INTERVAL_SECONDS = 60


class AddressNotVerified(PermissionDenied):
    """The account has not yet proved it reads its e-mail address."""

    def __init__(self, user):
        if user.email:
            text = (
                f"Verify your e-mail address first: we sent a link to {user.email}. "
                "Follow it; no e-mail? Log in to the portal and press “Send the link again”."
            )
        else:
            text = "Your account has no e-mail address: ask an administrator to add one."
        super().__init__(text)


def is_verified(user) -> bool:
    if not user.is_authenticated or not user.email:
        return False
    return VerifiedAddress.objects.filter(user=user, email=normalise(user.email)).exists()


def require_verified_address(user) -> None:
    """Called by the services that let an account act in its own name (create, submit)."""
    if user.is_authenticated and not is_verified(user):
        raise AddressNotVerified(user)


def with_verified_address(users: QuerySet) -> QuerySet:
    """Only the accounts whose current address is verified: who may receive e-mail.

    The current address is normalised in Python and compared with the one stored when it was
    verified (addresses.py: the databases' lower() differ); the sets are small (the people
    of one submission, the curators)."""
    rows = users.exclude(email="").filter(verified_address__isnull=False)
    pks = [
        pk
        for pk, current, verified in rows.values_list("pk", "email", "verified_address__email")
        if normalise(current) == verified
    ]
    return users.filter(pk__in=pks)


def verified_owner(email: str):
    """The account that has verified this address and still has it, or None."""
    row = VerifiedAddress.objects.select_related("user").filter(email=normalise(email)).first()
    if row is None or normalise(row.user.email) != row.email:
        return None
    return row.user


def mark_verified(user) -> bool:
    """Record the account's current address as verified. False if another account already
    verified the same address and still has it (the unique address refuses a second one)."""
    email = normalise(user.email)
    try:
        with transaction.atomic():
            # A verification left by an account whose address has since changed holds the
            # address for nobody: it must not keep its new owner from proving it.
            stale = VerifiedAddress.objects.filter(email=email).exclude(user=user).first()
            if stale is not None and normalise(stale.user.email) != email:
                stale.delete()
            VerifiedAddress.objects.update_or_create(
                user=user, defaults={"email": email, "verified_at": timezone.now()}
            )
    except IntegrityError:
        return False
    return True


def verification_link(user) -> str:
    token = signing.dumps({"user": user.pk, "email": normalise(user.email)}, salt=SALT)
    return settings.SITE_URL.rstrip("/") + reverse("accounts:verify", args=[token])


def _sent_mark(user) -> str:
    return f"accounts:verification-sent:{user.pk}"


def queue_verification(user) -> bool:
    """Queue the e-mail with the link, once the request's work is committed (accounts/tasks).
    False (nothing queued) if one was queued less than a minute ago. Never raises: a broker
    that is down is logged, and "Send the link again" then works at once."""
    from lib.enqueue import try_enqueue

    from .tasks import send_verification_email

    if not cache.add(_sent_mark(user), True, RESEND_INTERVAL_SECONDS):
        return False

    def enqueue():
        what = f"the verification e-mail to user {user.pk}; it is not sent"
        if try_enqueue(send_verification_email, user.pk, what=what) is not None:
            forget_sent_mark(user)

    transaction.on_commit(enqueue)
    return True


def forget_sent_mark(user) -> None:
    cache.delete(_sent_mark(user))


def send_link(user) -> None:
    """Send the e-mail now (the worker does: accounts/tasks.py); raises OSError."""
    days = settings.EMAIL_VERIFICATION_DAYS
    send_mail(
        "[JMDC] Confirm your e-mail address",
        "\n".join(
            [
                f"Hello {user.get_username()},",
                "",
                "Follow this link to confirm that this address is yours; then you can submit "
                "measurements and receive the portal's notifications:",
                "",
                verification_link(user),
                "",
                f"The link is valid for {days} day{'s' if days != 1 else ''}. If you did not create "
                "an account on the JMDC portal, ignore this e-mail.",
            ]
        ),
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )


class InvalidLink(Exception):
    """The link is damaged, expired, or for an address the account no longer has."""

    status = 400


class AddressTaken(InvalidLink):
    """Another account has verified this address first."""

    status = 409


def verify(token: str):
    """The account whose address the link verifies; raises InvalidLink."""
    max_age = settings.EMAIL_VERIFICATION_DAYS * 24 * 3600
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise InvalidLink("This link has expired: ask for a new one.") from exc
    except signing.BadSignature as exc:
        raise InvalidLink(
            "This link is not valid (was it copied whole?): ask for a new one."
        ) from exc
    user = get_user_model().objects.filter(pk=payload.get("user"), is_active=True).first()
    if user is None or normalise(user.email) != payload.get("email"):
        raise InvalidLink(
            "This link was sent to an address the account no longer has: ask for a new one."
        )
    if not mark_verified(user):
        raise AddressTaken(
            f"Another account has already confirmed {normalise(user.email)} as its address. "
            "If that account is yours, log in to it; otherwise ask an administrator to give "
            "this account another address."
        )
    return user
