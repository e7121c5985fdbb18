"""Accounts that exist before e-mail verification count as verified.

Why: they were opened (or created by an administrator) when the portal asked for no proof,
and their owners have been receiving the portal's e-mails at these addresses; requiring a
link now would stop every existing astronomer from submitting, and every curator from being
notified, the moment the upgrade is deployed. Staff and superusers are treated the same.

Two accounts that share an address (case-insensitively, as the portal now compares them) can
not both be verified: the older account (lowest id) keeps it, the others must be given another
address in the admin and verify it. Accounts without an address stay unverified.
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

from accounts.addresses import normalise  # plain Python, no model: safe in a migration


def verify_existing_accounts(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    VerifiedAddress = apps.get_model("accounts", "VerifiedAddress")
    now = timezone.now()
    taken = set()
    rows = []
    for pk, email in User.objects.exclude(email="").order_by("pk").values_list("pk", "email"):
        address = normalise(email)
        if address.strip() and address not in taken:
            taken.add(address)
            rows.append(VerifiedAddress(user_id=pk, email=address, verified_at=now))
    VerifiedAddress.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(verify_existing_accounts, migrations.RunPython.noop)]
