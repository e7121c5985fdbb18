from django.conf import settings
from django.db import models


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
