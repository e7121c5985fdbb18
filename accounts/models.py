from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


class VerifiedAddress(models.Model):
    """The e-mail address an account has proved it reads, and when.

    An account counts as verified only while its current address is this one (compared
    lower-cased): an address changed in the admin has to be verified again. The address is
    unique, so no two accounts can both have proved the same mailbox.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verified_address"
    )
    email = models.EmailField(unique=True, help_text="Lower-cased.")
    verified_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "verified addresses"

    def __str__(self) -> str:
        return f"{self.email} ({self.user}), verified {self.verified_at:%Y-%m-%d}"


class ApiToken(models.Model):
    """A personal key for scripts, created and revoked by its owner on their profile page.

    Only the SHA-256 of the key is stored: the key is shown once, at creation. Keys are 256
    random bits, so a fast hash is enough (nothing to brute-force); ``prefix`` lets the owner
    tell their keys apart."""

    PREFIX = "jmdc_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the key is for (a script, a host).")
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiToken, str]:
        """A new token and its key, which is not stored anywhere."""
        key = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name.strip()[:100] or "API token", prefix=key[:12],
            digest=cls.digest_of(key),
        )  # fmt: skip
        return token, key

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> bool:
        """Stop the token working, from now on. A conditional UPDATE: revoking twice (two tabs,
        a double click) keeps the first time. Returns whether this call revoked it."""
        now = timezone.now()
        revoked = ApiToken.objects.filter(pk=self.pk, revoked_at=None).update(revoked_at=now)
        if revoked:
            self.revoked_at = now
        return bool(revoked)
