from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, UserChangeForm, UserCreationForm

from .verification import with_verified_address


def clean_unique_email(email: str, *, instance=None) -> str:
    """One account per address, compared case-insensitively (Ada@Example.org is
    ada@example.org to every mail server people use)."""
    email = (email or "").strip()
    if not email:
        return email
    others = get_user_model().objects.filter(email__iexact=email)
    if instance is not None and instance.pk:
        others = others.exclude(pk=instance.pk)
    if others.exists():
        raise forms.ValidationError(
            f"Another account already uses {email}. If it is yours, log in or reset its "
            "password; otherwise give another address."
        )
    return email


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        required=True, help_text="We send a link to it: follow it before you submit."
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email", "first_name", "last_name")

    def clean_email(self) -> str:
        return clean_unique_email(self.cleaned_data.get("email"))


class AdminUserCreationForm(auth_forms.AdminUserCreationForm):
    """The admin's "Add user" asks for the address too, unique like everywhere else."""

    email = forms.EmailField(required=False)

    class Meta(auth_forms.AdminUserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self) -> str:
        return clean_unique_email(self.cleaned_data.get("email"))


class AdminUserChangeForm(UserChangeForm):
    def clean_email(self) -> str:
        return clean_unique_email(self.cleaned_data.get("email"), instance=self.instance)


class VerifiedPasswordResetForm(PasswordResetForm):
    """A reset link goes only to an address its account has verified: an unverified address
    may be someone else's, typed by whoever opened the account."""

    def get_users(self, email):
        users = super().get_users(email)
        verified = set(
            with_verified_address(get_user_model().objects.filter(email__iexact=email))
            .values_list("pk", flat=True)
        )  # fmt: skip
        return (user for user in users if user.pk in verified)
