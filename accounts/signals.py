"""A successful log-in forgets the failed attempts at that account only.

django-axes' own AXES_RESET_ON_SUCCESS deletes every attempt matching the account OR the
client's address: an attacker could guess four times at someone else's account, log into
their own (or sign up), and start over, never reaching the limit. Here only the rows recorded
for this username go: the address keeps counting the guesses made at other accounts.
"""

from axes.models import AccessAttempt
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in, dispatch_uid="accounts.forget_this_accounts_failures")
def forget_this_accounts_failures(sender, request, user, **kwargs) -> None:
    AccessAttempt.objects.filter(username=user.get_username()).delete()
